import { gunzipSync } from 'node:zlib';
import { Client, Pool, buildConnector, type Dispatcher } from 'undici';
import type { Authenticator } from './auth';
import { createConnector } from './connector';
import { unwrapEnvelope } from './envelope';
import { PveError, cancelledError, isAbortError } from './errors';
import { encodeParams, type ApiRequest, type ApiResult, type RequestEvent, type Transport } from './transport';
import type { TrustConfig } from './trust';

export interface HttpTransportOptions {
  /** `https://host:port`; the API prefix is added here. */
  readonly baseUrl: string;
  readonly trust: TrustConfig;
  readonly auth: Authenticator;
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly onRequest?: (event: RequestEvent) => void;
}

const API_PREFIX = '/api2/json';
// A 401 is held back ~3 s by pveproxy, so the header timeout must comfortably exceed that.
const DEFAULTS = { connectTimeoutMs: 10_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000, maxResponseBytes: 32 * 1024 * 1024 };
// pveproxy closes idle sockets after 5 s; we let go of them earlier to avoid racing its close.
const KEEP_ALIVE_MS = 3_000;

interface RawResponse {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * HTTPS to pveproxy over undici: one keep-alive pool per cluster for reads, and a fresh connection
 * for every write, so a pooled socket the server has just closed can never make a write's outcome
 * ambiguous. GETs are retried once after connection failures and 502-504; writes never are.
 */
export class HttpTransport implements Transport {
  private readonly origin: string;
  private readonly pool: Pool;
  private readonly connector: ReturnType<typeof createConnector>;
  private readonly settings: typeof DEFAULTS;

  constructor(private readonly options: HttpTransportOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'https:') throw new PveError('invalidInput', 'Proxmox VE is only reachable over https.');
    this.origin = url.origin;
    this.settings = { ...DEFAULTS, ...definedOnly(options) };
    this.connector = createConnector(buildConnector, options.trust, this.settings.connectTimeoutMs);
    this.pool = new Pool(this.origin, {
      connect: this.connector,
      connections: 2,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      headersTimeout: this.settings.headersTimeoutMs,
      bodyTimeout: this.settings.bodyTimeoutMs,
    });
  }

  async request(request: ApiRequest): Promise<ApiResult> {
    const attempts = request.method === 'GET' ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(request, attempt);
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error) || request.signal?.aborted) throw error;
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }

  private async send(request: ApiRequest, attempt: number): Promise<ApiResult> {
    const started = performance.now();
    let status: number | undefined;
    try {
      if (request.signal?.aborted) throw cancelledError();
      const headers: Record<string, string> = {
        ...(await this.options.auth.headers(request.method, request.signal)),
        accept: 'application/json',
        'accept-encoding': 'gzip',
      };
      const encoded = encodeParams(request.params);
      const isRead = request.method === 'GET' || request.method === 'DELETE';
      const path = `${API_PREFIX}${request.path}${isRead && encoded ? `?${encoded}` : ''}`;
      const body = isRead ? null : encoded;
      if (body !== null) headers['content-type'] = 'application/x-www-form-urlencoded';
      const maxBytes = request.maxResponseBytes ?? this.settings.maxResponseBytes;
      const raw =
        request.method === 'GET'
          ? await dispatch(this.pool, { origin: this.origin, method: 'GET', path, headers }, maxBytes, request.signal)
          : await this.sendOnFreshConnection({ origin: this.origin, method: request.method, path, headers, body, idempotent: false }, maxBytes, request.signal);
      status = raw.status;
      if (raw.status === 401) this.options.auth.onUnauthorized?.();
      return unwrapEnvelope(raw.status, raw.statusText, parseBody(raw, maxBytes));
    } catch (error) {
      throw toPveError(error, request.method);
    } finally {
      this.options.onRequest?.({ method: request.method, path: request.path, status, durationMs: performance.now() - started, attempt });
    }
  }

  private async sendOnFreshConnection(options: Dispatcher.DispatchOptions, maxBytes: number, signal: AbortSignal | undefined): Promise<RawResponse> {
    const client = new Client(this.origin, {
      connect: this.connector,
      pipelining: 1,
      headersTimeout: this.settings.headersTimeoutMs,
      bodyTimeout: this.settings.bodyTimeoutMs,
    });
    try {
      return await dispatch(client, { ...options, reset: true }, maxBytes, signal);
    } finally {
      void client.destroy().catch(() => undefined);
    }
  }
}

function definedOnly(options: HttpTransportOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}

/** One request through undici's handler API: it is the one that exposes PVE's reason phrase. */
function dispatch(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, maxBytes: number, signal: AbortSignal | undefined): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let status = 0;
    let statusText = '';
    let contentType = '';
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    const onAbort = (): void => {
      controller?.abort(cancelledError());
    };
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    dispatcher.dispatch(options, {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (signal?.aborted) ctrl.abort(cancelledError());
      },
      onResponseStart(ctrl, statusCode, headers, statusMessage) {
        status = statusCode;
        statusText = statusMessage ?? '';
        contentType = String(headers['content-type'] ?? '');
        const declared = Number(headers['content-length'] ?? 0);
        if (declared > maxBytes) ctrl.abort(tooLarge(maxBytes));
      },
      onResponseData(ctrl, chunk) {
        size += chunk.length;
        if (size > maxBytes) {
          ctrl.abort(tooLarge(maxBytes));
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd(_ctrl, _trailers) {
        const body = Buffer.concat(chunks);
        // Resolve on the next turn: undici marks the socket idle right after this callback, and a
        // request dispatched synchronously from here would otherwise open a second connection.
        setImmediate(() => {
          settle(() => {
            try {
              resolve({ status, statusText, contentType, body: maybeGunzip(body, maxBytes) });
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
        });
      },
      onResponseError(_ctrl, error) {
        settle(() => { reject(error); });
      },
    });
  });
}

function maybeGunzip(body: Buffer, maxBytes: number): Buffer {
  // gzip magic bytes; undici leaves content-encoding to us and pveproxy gzips above 1 KiB.
  if (body.length < 2 || body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
      ? tooLarge(maxBytes)
      : new PveError('invalidResponse', 'The server sent a corrupt compressed body.', { cause: error });
  }
}

function tooLarge(maxBytes: number): PveError {
  return new PveError('invalidResponse', `The answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB and was not read.`);
}

function parseBody(raw: RawResponse, _maxBytes: number): unknown {
  if (raw.body.length === 0) return undefined;
  const isJson = /json/i.test(raw.contentType) || raw.contentType === '';
  const text = raw.body.toString('utf8');
  if (!isJson) {
    if (raw.status >= 400) return undefined; // errors raised before the handler have no JSON body
    const kind = /html/i.test(raw.contentType) ? 'an HTML page' : `"${raw.contentType}"`;
    throw new PveError('invalidResponse', `The server answered with ${kind} instead of JSON. Is this the Proxmox VE API port (8006)?`, { status: raw.status });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (raw.status >= 400) return undefined;
    throw new PveError('invalidResponse', 'The server answered with malformed JSON.', { status: raw.status, cause: error });
  }
}

const CONNECT_PHASE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function toPveError(error: unknown, method: string): PveError {
  if (error instanceof PveError) return error;
  if (isAbortError(error)) return cancelledError(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const isWrite = method !== 'GET';
  const mayHaveApplied = isWrite && !CONNECT_PHASE.has(code);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new PveError('timeout', 'Connecting to the server timed out.', { cause: error });
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new PveError('timeout', 'The server did not answer in time.', { cause: error, requestMayHaveBeenApplied: mayHaveApplied });
  }
  if (CONNECT_PHASE.has(code)) return new PveError('network', `Cannot connect to the server (${code}).`, { cause: error });
  if (RESET.has(code)) {
    return new PveError('network', 'The connection was closed before the answer arrived.', { cause: error, requestMayHaveBeenApplied: mayHaveApplied });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PveError('network', `Request failed: ${message}`, { cause: error, requestMayHaveBeenApplied: mayHaveApplied });
}

/** GET-only retry rule (SECURITY.md, Robustness): connection failures and 502-504, once. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof PveError)) return false;
  if (error.reason === 'network') return true;
  if (error.reason === 'timeout' && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'UND_ERR_CONNECT_TIMEOUT') return true;
  return error.status === 502 || error.status === 503 || error.status === 504;
}
