// The request handling of pveproxy (pve-http-server AnyEvent.pm process_header,
// authenticate_and_handle_request, handle_api2_request; NOTES.md §1-§4) in its order: method,
// Connection/Transfer-Encoding, authentication (401s held back), body checks, parameter
// extraction, the API, the JSON formatter (`message` in error bodies since pve-http-server 5.2.0).
// Fault injection wraps it.
import type { ApiHandler, ApiResult } from '../api';
import { authenticate, type AuthInfo } from '../auth';
import type { FaultAction, FaultInjector } from '../faults';
import type { RecordedAuth, RequestRecord } from '../requestLog';
import { maskParams } from '../requestLog';
import type { SimContext } from '../simContext';
import type { TicketService } from '../tickets';
import { uriUnescape } from '../tickets';
import type { Params } from '../validate';
import { bareAnswer, textError, type Answer } from './answer';
import type { IncomingRequest, ProcessResult, RequestProcessor, StreamBody } from './connection';
import { BodyParseError, decodeJsonBody, decodeUrlencoded, mediaType } from './params';
import { websocketAccept } from './websocket';

export interface ProxyOptions {
  /** Delay of every 401 (PVE: 3 s). */
  unauthorizedDelayMs: number;
  /** Added to every request. */
  latencyMs: number;
  /** PVE >= 8.3 also puts `message` into error bodies; older servers only use the reason phrase. */
  messageInBody: boolean;
  compression: boolean;
  idleTimeoutMs: number;
  /** Oldest request records are dropped beyond this many (soak tests). */
  requestLogLimit: number;
}

const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const JSON_CT = 'application/json;charset=UTF-8';

const INDEX_HTML = `<!DOCTYPE html>
<html>
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
    <title>pve1 - Proxmox Virtual Environment</title>
  </head>
  <body><noscript>Please enable JavaScript</noscript></body>
</html>
`;

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function recordAuth(auth: AuthInfo): RecordedAuth {
  if (auth.kind === 'token') return { kind: 'token', tokenId: auth.authid };
  if (auth.kind === 'ticket') return { kind: 'ticket', userid: auth.userid };
  return { kind: 'none' };
}

function credentialsOf(authorization: string | undefined, cookie: string | undefined): 'token' | 'ticket' | 'none' {
  if (/(?:^|\s)PVEAuthCookie[= ]/.test(cookie ?? '') || /(?:^|\s)PVEAuthCookie[= ]/.test(authorization ?? '')) return 'ticket';
  if (/(?:^|\s)PVEAPIToken[= ]/.test(authorization ?? '')) return 'token';
  return 'none';
}

/** A stream of valid-looking JSON for the oversized-body fault. */
function oversizedStream(bytes: number, declareLength: boolean): StreamBody {
  const prefix = Buffer.from('{"data":[');
  const item = Buffer.from('{"id":"qemu/100","type":"qemu","vmid":100,"node":"pve1","status":"running","name":"padding-padding-padding"},');
  return {
    status: 200,
    reason: 'OK',
    headers: [['Content-Type', JSON_CT]],
    totalBytes: bytes,
    declareLength,
    chunk(offset, max) {
      // prefix, whole items, spaces, then '{}]}' so that the complete body is valid JSON.
      const suffix = Buffer.from('{}]}');
      const itemsEnd = prefix.length + Math.max(0, Math.floor((bytes - prefix.length - suffix.length) / item.length)) * item.length;
      const out = Buffer.alloc(Math.min(max, bytes - offset));
      for (let i = 0; i < out.length; i++) {
        const pos = offset + i;
        if (pos < prefix.length) out[i] = prefix[pos] ?? 0x20;
        else if (pos >= bytes - suffix.length) out[i] = suffix[pos - (bytes - suffix.length)] ?? 0x20;
        else if (pos < itemsEnd) out[i] = item[(pos - prefix.length) % item.length] ?? 0x20;
        else out[i] = 0x20;
      }
      return out;
    },
  };
}

export class PveProxy implements RequestProcessor {
  private seq = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly api: ApiHandler,
    private readonly tickets: TicketService,
    private readonly faults: FaultInjector,
    private readonly records: RequestRecord[],
    readonly options: ProxyOptions,
    private readonly log?: (line: string) => void,
  ) {}

  idleTimeoutMs(): number {
    return this.options.idleTimeoutMs;
  }

  compression(): boolean {
    return this.options.compression;
  }

  now(): number {
    return this.ctx.clock.nowMs();
  }

  async process(req: IncomingRequest): Promise<ProcessResult> {
    const started = Date.now();
    const { head } = req;
    const qIndex = head.target.indexOf('?');
    const rawPath = qIndex >= 0 ? head.target.slice(0, qIndex) : head.target;
    const query = qIndex >= 0 ? head.target.slice(qIndex + 1) : '';
    // pveproxy decodes the path before it splits it (so %2F becomes a separator).
    const path = uriUnescape(rawPath.replace(/^https?:\/\/[^/]*/i, ''));
    const api = /^\/api2\/+([a-z][a-z0-9]+)(\/.*)?$/.exec(path);
    const format = api?.[1];
    const relUri = api ? api[2] ?? '/' : undefined;
    const proto = `HTTP/${head.versionMajor}.${head.versionMinor}`;
    const record: RequestRecord = {
      seq: ++this.seq,
      time: this.ctx.clock.nowMs(),
      method: head.method,
      path,
      apiPath: format === 'json' ? relUri : undefined,
      query: maskParams(decodeUrlencoded(query)),
      params: {},
      auth: { kind: 'none' },
      credentials: credentialsOf(head.headers.get('authorization'), head.headers.get('cookie')),
      csrf: head.headers.get('csrfpreventiontoken') !== undefined,
      ...(head.headers.get('upgrade') !== undefined ? { upgrade: true } : {}),
      connection: req.connection.id,
      tlsProtocol: req.connection.tlsProtocol,
    };
    this.records.push(record);
    if (this.records.length > this.options.requestLogLimit) this.records.splice(0, this.records.length - this.options.requestLogLimit);

    const picked = this.faults.pick(head.method, record.apiPath ?? path);
    record.fault = picked.label;
    const latency = this.options.latencyMs + picked.latencyMs;
    if (latency > 0) await sleep(latency);
    const fault = picked.action;

    const finish = (result: ProcessResult): ProcessResult => {
      record.durationMs = Date.now() - started;
      if (result.type === 'answer') record.status = result.answer.status;
      else if (result.type === 'stream') record.status = result.stream.status;
      else if (result.type === 'upgrade') record.status = 101;
      this.log?.(`${head.method} ${path} ${record.status ?? '-'}${record.fault ? ` [${record.fault}]` : ''} ${record.durationMs}ms`);
      return result;
    };

    if (fault && !('applyRequest' in fault && fault.applyRequest)) {
      const early = this.faultResult(fault, proto, undefined);
      if (early) return finish(early);
    }

    const outcome = await this.pipeline(req, record, path, query, format, relUri, proto);

    if (fault) {
      if (fault.kind === 'resetAfter') return finish({ type: 'reset' });
      if (fault.kind === 'closeAfterResponse' && outcome.type === 'answer') {
        return finish({ ...outcome, keepAlive: true, closeAfterMs: fault.delayMs ?? 0 });
      }
      const late = this.faultResult(fault, proto, outcome);
      if (late) return finish(late);
    }
    return finish(outcome);
  }

  /** The answer a fault replaces the normal one with (undefined: not a replacing fault). */
  private faultResult(fault: FaultAction, proto: string, _outcome: ProcessResult | undefined): ProcessResult | undefined {
    switch (fault.kind) {
      case 'resetBefore':
        return { type: 'reset' };
      case 'hang':
        return { type: 'hang' };
      case 'status': {
        const body = fault.body !== undefined ? Buffer.from(fault.body, 'utf8') : jsonBody({ data: null, message: `${fault.reason}\n` });
        const ct = fault.contentType ?? (fault.body !== undefined ? 'text/plain' : JSON_CT);
        return { type: 'answer', proto, keepAlive: false, answer: { status: fault.status, message: fault.reason, body, headers: [['Content-Type', ct]] } };
      }
      case 'malformedJson':
        return {
          type: 'answer',
          proto,
          keepAlive: true,
          answer: { status: 200, body: Buffer.from('{"data":[{"id":"qemu/100","type":"qemu","vmid":100,"status":"runn'), headers: [['Content-Type', JSON_CT]] },
        };
      case 'html':
        return {
          type: 'answer',
          proto,
          keepAlive: false,
          answer: {
            status: fault.status ?? 200,
            body: Buffer.from('<!DOCTYPE html><html><head><title>Login required</title></head><body><h1>Please sign in</h1><form action="/login"></form></body></html>\n'),
            headers: [['Content-Type', 'text/html; charset=utf-8']],
          },
        };
      case 'oversized':
        return { type: 'stream', proto, stream: oversizedStream(fault.bytes ?? 50 * 1024 * 1024, fault.declareLength ?? true) };
      default:
        return undefined;
    }
  }

  private async pipeline(
    req: IncomingRequest,
    record: RequestRecord,
    path: string,
    query: string,
    format: string | undefined,
    relUri: string | undefined,
    proto: string,
  ): Promise<ProcessResult> {
    const { head } = req;
    const method = head.method;
    let keepAlive = req.keepAliveLeft > 0;
    const acceptEncoding = head.headers.get('accept-encoding');
    const reply = (answer: Answer, ka = keepAlive): ProcessResult => ({ type: 'answer', answer, keepAlive: ka && answer.status < 400, proto, acceptEncoding });

    if (!KNOWN_METHODS.has(method)) return reply(bareAnswer(501, `method '${method}' not available`));
    const conn = head.headers.get('connection');
    if (conn !== undefined) {
      if (/close/i.test(conn)) keepAlive = false;
    } else if (head.versionMinor < 1) {
      keepAlive = false;
    }
    const te = head.headers.get('transfer-encoding');
    if (te !== undefined) {
      return reply(textError(501, te.toLowerCase() === 'chunked' ? 'chunked transfer encoding not supported' : `Unknown transfer encoding '${te}'`));
    }

    let auth: AuthInfo = { kind: 'none' };
    let apiTokenHeader = false;
    if (path.startsWith('/api2')) {
      if (format === undefined || relUri === undefined) return reply(textError(501, 'no such uri'));
      const outcome = authenticate(this.ctx.state, this.ctx.clock, this.tickets, {
        method,
        relUri,
        cookie: head.headers.get('cookie'),
        authorization: head.headers.get('authorization'),
        csrfToken: head.headers.get('csrfpreventiontoken'),
      });
      if (!outcome.ok) {
        record.auth = { kind: 'failed', reason: outcome.message.trim(), tokenId: outcome.attemptedTokenId };
        return reply(bareAnswer(outcome.status, outcome.message, this.options.unauthorizedDelayMs));
      }
      auth = outcome.auth;
      apiTokenHeader = outcome.apiTokenHeader;
      record.auth = recordAuth(auth);
    }

    const lenText = head.headers.get('content-length');
    const len = lenText !== undefined ? Number.parseInt(lenText, 10) || 0 : 0;
    const ct = mediaType(head.headers.get('content-type'));
    if (len > 0) {
      if (method !== 'PUT' && method !== 'POST') return reply(textError(501, `Unexpected content for method '${method}'`));
      if (req.bodyTooLarge) return reply(textError(501, 'for data too large'));
      if (!(ct === undefined || ct === 'application/x-www-form-urlencoded' || ct === 'application/json')) {
        return reply(textError(506, `upload 'Content-Type '${head.headers.get('content-type') ?? ''}' not implemented`));
      }
    }

    if (format === undefined || relUri === undefined) {
      if (method === 'GET' && path === '/') {
        return reply({ status: 200, body: Buffer.from(INDEX_HTML), headers: [['Content-Type', 'text/html; charset=utf-8']] });
      }
      return reply(textError(500, `no such file '${path}'\n`));
    }
    if (format !== 'json' && format !== 'extjs') return reply(textError(501, `no formatter for uri ${relUri}, ${format}`));

    let params: Params;
    try {
      params = method === 'POST' || method === 'PUT' ? (ct === 'application/json' && len > 0 ? decodeJsonBody(req.body) : decodeUrlencoded(req.body.toString('latin1'))) : {};
    } catch (err) {
      if (err instanceof BodyParseError) return reply(textError(500, err.message));
      throw err;
    }
    Object.assign(params, decodeUrlencoded(query));
    delete params._dc;
    record.params = maskParams(params);

    const result = await this.api.handle(method, relUri, params, auth, apiTokenHeader);
    const upgrade = head.headers.get('upgrade')?.toLowerCase();
    if (upgrade !== undefined && upgrade !== '' && method === 'GET' && /websocket$/.test(path)) {
      // handle_api2_request: the header checks die (500) after the handler ran; a handler error
      // (401 bad vncticket, 403) is an ordinary answer; only a 200 becomes websocket_proxy.
      if (upgrade !== 'websocket') return reply(textError(500, `unable to upgrade to protocol '${upgrade}'\n`));
      const version = head.headers.get('sec-websocket-version');
      if (version !== '13') return reply(textError(500, `unsupported websocket-version '${version ?? ''}'\n`));
      const key = head.headers.get('sec-websocket-key');
      if (key === undefined || key === '') return reply(textError(500, 'missing websocket-key\n'));
      if (result.kind === 'api' && result.status === 200) {
        const port = Number((result.data as { port?: unknown } | null)?.port);
        const backend = this.ctx.console.accept(port);
        // tcp_connect to a port nobody listens on: the 101 is never sent and the connection ends.
        if (!backend) return { type: 'close' };
        return {
          type: 'upgrade',
          proto,
          accept: websocketAccept(key),
          protocol: head.headers.get('sec-websocket-protocol') ?? '',
          attach: (peer) => backend.attach(peer),
        };
      }
    }
    // record.time is on the simulator's clock, which tests may have moved: elapsed is real time.
    return reply(this.format(result, format, Date.now() - (record.time - this.ctx.clock.offsetMs)));
  }

  /** The json/extjs formatters (pve-http-server Formatter/Standard.pm prepare_response_data). */
  private format(result: ApiResult, format: string, elapsedMs: number): Answer {
    if (result.kind === 'proxyError') return { status: result.status, message: result.reason, delayMs: result.delayMs };
    if (result.kind === 'download') {
      const d = result.download;
      return {
        status: 200,
        body: Buffer.from(d.body, 'utf8'),
        headers: [['Content-Type', d.contentType], ['Content-Disposition', `attachment; filename="${d.filename}"`]],
      };
    }
    const isError = result.status >= 400;
    const body: Record<string, unknown> = { data: result.data };
    let success = 1;
    if (result.errors && Object.keys(result.errors).length > 0) {
      success = 0;
      body.errors = result.errors;
    }
    let status = result.status;
    const message = result.message ?? '';
    if (format === 'extjs') {
      if (isError) {
        success = 0;
        body.message = message;
        body.status = result.status;
        status = 200;
      }
      body.success = success;
    } else if (isError && this.options.messageInBody) {
      body.message = message;
    }
    if (success && result.total !== undefined && result.total !== 0) body.total = result.total;
    const delayMs = result.status === 401 ? Math.max(0, this.options.unauthorizedDelayMs - elapsedMs) : 0;
    return { status, message: format === 'extjs' ? undefined : message || undefined, body: jsonBody(body), headers: [['Content-Type', JSON_CT]], delayMs };
  }
}
