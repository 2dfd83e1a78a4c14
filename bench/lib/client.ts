import { TokenAuthenticator } from '../../src/api/auth';
import { PveClient } from '../../src/api/client';
import { HttpTransport } from '../../src/api/httpTransport';
import type { SchemaIssue } from '../../src/api/schemas/parse';
import type { RequestEvent } from '../../src/api/transport';
import type { StartedSim } from '../sim/protocol';

export interface BenchClient {
  readonly client: PveClient;
  readonly transport: HttpTransport;
  /** Requests the transport reported (one per attempt), for cross-checking the simulator's log. */
  readonly events: RequestEvent[];
  /** Schema issues (should stay empty: the simulator speaks PVE's format). */
  readonly issues: SchemaIssue[];
  close(): Promise<void>;
}

/** The extension's own client and transport (undici pool, pinned fingerprint, token auth). */
export function benchClient(sim: StartedSim): BenchClient {
  const events: RequestEvent[] = [];
  const transport = new HttpTransport({
    baseUrl: sim.url,
    trust: { mode: 'fingerprint', fingerprint: sim.fingerprint },
    auth: new TokenAuthenticator(sim.tokenId, sim.secret),
    onRequest: (event) => { events.push(event); },
  });
  const issues: SchemaIssue[] = [];
  const client = new PveClient(transport, (issue) => { issues.push(issue); });
  return { client, transport, events, issues, close: () => transport.close() };
}
