import { TokenAuthenticator } from '../../../src/api/auth';
import { PveClient } from '../../../src/api/client';
import { HttpTransport, type HttpTransportOptions } from '../../../src/api/httpTransport';
import type { SchemaIssue } from '../../../src/api/schemas/parse';
import type { RequestEvent } from '../../../src/api/transport';
import type { TrustConfig } from '../../../src/api/trust';
import type { Simulator, TokenInfo } from '../../sim/simulator';

export interface Harness {
  readonly client: PveClient;
  readonly transport: HttpTransport;
  readonly events: RequestEvent[];
  readonly issues: SchemaIssue[];
  close(): Promise<void>;
}

/** A real client (undici, pinned TLS) against the simulator, recording its requests and schema issues. */
export function clientFor(sim: Simulator, options: { token?: TokenInfo; trust?: TrustConfig; transport?: Partial<HttpTransportOptions> } = {}): Harness {
  const token = options.token ?? sim.tokens.admin;
  const events: RequestEvent[] = [];
  const issues: SchemaIssue[] = [];
  const transport = new HttpTransport({
    baseUrl: sim.url,
    trust: options.trust ?? { mode: 'fingerprint', fingerprint: sim.fingerprint },
    auth: new TokenAuthenticator(token.tokenId, token.secret),
    onRequest: (event) => events.push(event),
    ...options.transport,
  });
  const client = new PveClient(transport, (issue) => issues.push(issue));
  return { client, transport, events, issues, close: () => transport.close() };
}
