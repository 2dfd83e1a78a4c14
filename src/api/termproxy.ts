import { buildConnector } from 'undici';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type * as tls from 'node:tls';
import * as z from 'zod/mini';
import type { WebSocket as WsSocket } from 'ws';
import type { Authenticator } from './auth';
import { createConnector } from './connector';
import { unwrapEnvelope } from './envelope';
import { PveError, cancelledError } from './errors';
import { checkNode, guestPath } from './paths';
import type { Transport } from './transport';
import type { TrustConfig } from './trust';

/**
 * The xterm.js terminal of PVE (CONSOLE.md §2): `POST …/termproxy` starts termproxy on the node
 * that received the POST, `GET …/vncwebsocket` upgrades to a websocket that pveproxy bridges to
 * it, and termproxy's own protocol runs inside: `<user>:<ticket>\n`, `OK`, then `0:<n>:<data>`,
 * `1:<cols>:<rows>:`, `2` from the client and raw pty bytes back.
 */
export type TermTarget =
  | { readonly type: 'node'; readonly node: string }
  | { readonly type: 'qemu' | 'lxc'; readonly node: string; readonly vmid: number; readonly serial?: string };

/** What `POST …/termproxy` returns. `ticket` is a secret (redact it). */
export interface TermGrant {
  /** The authid the ticket belongs to (`user@realm!token` for tokens). */
  readonly user: string;
  readonly ticket: string;
  readonly port: number;
  readonly upid: string;
}

/** Where the websocket goes: the same origin and trust as the HTTP requests, the same credentials. */
export interface TermEndpoint {
  readonly baseUrl: string;
  readonly trust: TrustConfig;
  readonly auth: Authenticator;
  readonly connectTimeoutMs?: number;
}

export interface TermOptions {
  readonly signal?: AbortSignal;
  /** termproxy answers `OK` after checking the ticket; none in time means refused (older PVE with tokens). */
  readonly okTimeoutMs?: number;
  /** The GUI sends `2` every 30 s; termproxy ignores it, it keeps proxies from closing idle sockets. */
  readonly keepAliveMs?: number;
  /** Limit for the websocket upgrade itself. */
  readonly handshakeTimeoutMs?: number;
}

/** Why a terminal did not start or ended, for the UI to explain. */
export type TermFailure =
  /** No `OK` after the auth line: termproxy refused the ticket (or the token, on older PVE). */
  | 'noOk'
  /** The websocket closed before `OK`. */
  | 'closedBeforeOk';

export class TermproxyError extends PveError {
  constructor(
    readonly failure: TermFailure,
    message: string,
  ) {
    super('forbidden', message);
  }

  static isTermproxy(error: unknown): error is TermproxyError {
    return error instanceof TermproxyError;
  }
}

const grantSchema = z.object({
  user: z.string(),
  ticket: z.string(),
  port: z.union([z.number(), z.string()]),
  upid: z.string(),
});

function termPath(target: TermTarget): string {
  return target.type === 'node' ? `/nodes/${checkNode(target.node)}` : guestPath({ node: target.node, type: target.type, vmid: target.vmid });
}

/**
 * `POST …/termproxy`. PVE returns only after termproxy listens; from then on it waits 10 s for the
 * connection and the VNC ticket is valid for 40 s, so the websocket must follow at once.
 */
export async function createTermproxy(transport: Transport, target: TermTarget, signal?: AbortSignal): Promise<TermGrant> {
  const params: Record<string, string> = {};
  if (target.type === 'qemu' && target.serial !== undefined) {
    if (!/^serial[0-3]$/.test(target.serial)) throw new PveError('invalidInput', 'The serial port must be serial0 to serial3.');
    params.serial = target.serial;
  }
  const result = await transport.request({ method: 'POST', path: `${termPath(target)}/termproxy`, params, ...(signal ? { signal } : {}) });
  const parsed = z.safeParse(grantSchema, result.data);
  const port = parsed.success ? Number(parsed.data.port) : NaN;
  if (!parsed.success || !Number.isInteger(port) || port < 5900 || port > 5999) {
    throw new PveError('invalidResponse', 'The server did not return a terminal ticket and port.', { requestMayHaveBeenApplied: true });
  }
  return { user: parsed.data.user, ticket: parsed.data.ticket, port, upid: parsed.data.upid };
}

/** The API path of the websocket, with the VNC ticket encoded (it holds `+ / =`). */
export function vncWebsocketPath(target: TermTarget, grant: TermGrant): string {
  return `/api2/json${termPath(target)}/vncwebsocket?port=${grant.port}&vncticket=${encodeURIComponent(grant.ticket)}`;
}

/** Splits input so that no termproxy message exceeds pveproxy's 128 KiB frame limit. */
export function encodeInput(text: string, maxBytes = 64 * 1024): Buffer[] {
  const out: Buffer[] = [];
  let chunk = '';
  let bytes = 0;
  const flush = (): void => {
    if (chunk === '') return;
    out.push(Buffer.from(`0:${bytes}:${chunk}`, 'utf8'));
    chunk = '';
    bytes = 0;
  };
  // Whole code points only: a character split across messages would reach the pty broken.
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) flush();
    chunk += ch;
    bytes += n;
  }
  flush();
  return out;
}

export function encodeResize(cols: number, rows: number): Buffer {
  const c = Math.max(1, Math.min(0xffff, Math.floor(cols)));
  const r = Math.max(1, Math.min(0xffff, Math.floor(rows)));
  return Buffer.from(`1:${c}:${r}:`);
}

const KEEP_ALIVE = Buffer.from('2');

export type TermEnd =
  | { readonly kind: 'remote' }
  | { readonly kind: 'local' }
  | { readonly kind: 'error'; readonly error: PveError };

/**
 * One open terminal. Output is decoded as a UTF-8 stream (a character may span frames); input is
 * sent as one frame per message, never split inside a header (termproxy would lose it).
 */
export class TermproxyConnection {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly outputListeners: ((text: string) => void)[] = [];
  private readonly endListeners: ((end: TermEnd) => void)[] = [];
  private stage: 'connecting' | 'auth' | 'open' = 'connecting';
  private authBytes = Buffer.alloc(0);
  /** Output that arrived before anyone listened (often in the same frame as `OK`). */
  private pending = '';
  private keepAlive: NodeJS.Timeout | undefined;
  private okTimer: NodeJS.Timeout | undefined;
  private ended: TermEnd | undefined;
  private closingLocally = false;
  private readonly ready: Promise<void>;
  private settleReady: { resolve: () => void; reject: (error: PveError) => void } | undefined;

  private constructor(
    private readonly ws: WsSocket,
    readonly grant: TermGrant,
    private readonly options: { readonly okTimeoutMs: number; readonly keepAliveMs: number },
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    // Listeners from the start: ws may deliver several frames in one tick, so nothing may be lost
    // between the `OK` and the rest of the output.
    ws.on('open', () => { this.onOpen(); });
    ws.on('message', (data: Buffer) => { this.onMessage(data); });
    ws.on('close', () => {
      if (this.stage !== 'open') this.failStart(new TermproxyError('closedBeforeOk', 'The terminal closed before it started.'));
      this.finish(this.closingLocally ? { kind: 'local' } : { kind: 'remote' });
    });
    ws.on('error', (error: Error) => {
      const pveError = PveError.is(error) ? error : new PveError('network', `The terminal connection failed: ${error.message}`, { cause: error });
      if (this.stage !== 'open') this.failStart(pveError);
      this.finish({ kind: 'error', error: pveError });
    });
    ws.on('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
      readRefusal(res).then((error) => {
        this.failStart(error);
        ws.terminate();
      }, () => undefined);
    });
  }

  /**
   * Opens the websocket on a socket that passed the same trust check as every HTTP request (no
   * credential leaves before that), authenticates with termproxy and waits for its `OK`.
   */
  static async open(endpoint: TermEndpoint, target: TermTarget, grant: TermGrant, options: TermOptions = {}): Promise<TermproxyConnection> {
    const { signal } = options;
    if (signal?.aborted) throw cancelledError();
    const url = new URL(endpoint.baseUrl);
    const socket = await pinnedSocket(url, endpoint.trust, endpoint.connectTimeoutMs ?? 10_000, signal);
    let headers: Record<string, string>;
    try {
      headers = await endpoint.auth.headers('GET', signal);
    } catch (error) {
      socket.destroy();
      throw error;
    }
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`wss://${url.host}${vncWebsocketPath(target, grant)}`, ['binary'], {
      createConnection: () => socket,
      headers,
      perMessageDeflate: false,
      followRedirects: false,
      handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
      maxPayload: 16 * 1024 * 1024,
    });
    const connection = new TermproxyConnection(ws, grant, { okTimeoutMs: options.okTimeoutMs ?? 5_000, keepAliveMs: options.keepAliveMs ?? 30_000 });
    const onAbort = (): void => {
      connection.failStart(cancelledError());
      ws.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await connection.ready;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return connection;
  }

  /** Receives output; text that arrived before the first listener is delivered at once. */
  onOutput(listener: (text: string) => void): void {
    this.outputListeners.push(listener);
    if (this.pending !== '') {
      const text = this.pending;
      this.pending = '';
      listener(text);
    }
  }

  onEnd(listener: (end: TermEnd) => void): void {
    if (this.ended) listener(this.ended);
    else this.endListeners.push(listener);
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  write(text: string): void {
    for (const frame of encodeInput(text)) this.sendRaw(frame);
  }

  resize(cols: number, rows: number): void {
    this.sendRaw(encodeResize(cols, rows));
  }

  /** Ends the session from this side: a close frame; termproxy exits and the shell gets SIGHUP. */
  close(): void {
    if (this.ended) return;
    this.closingLocally = true;
    this.ws.close(1000);
    // pveproxy answers a close frame by closing TCP, without a close frame of its own.
    setTimeout(() => { this.ws.terminate(); }, 2_000).unref();
  }

  private onOpen(): void {
    this.stage = 'auth';
    // `user:ticket\n` in one frame; termproxy splits at the first ':' (the user has none).
    this.ws.send(Buffer.from(`${this.grant.user}:${this.grant.ticket}\n`, 'utf8'), { binary: true });
    this.okTimer = setTimeout(() => {
      this.failStart(new TermproxyError('noOk', 'The terminal did not confirm the ticket.'));
      this.ws.terminate();
    }, this.options.okTimeoutMs);
  }

  private onMessage(data: Buffer): void {
    if (this.stage === 'open') {
      this.emit(this.decoder.decode(data, { stream: true }));
      return;
    }
    if (this.stage !== 'auth') return;
    this.authBytes = Buffer.concat([this.authBytes, data]);
    if (this.authBytes.length < 2) return;
    if (this.authBytes[0] !== 0x4f || this.authBytes[1] !== 0x4b) {
      this.failStart(new PveError('invalidResponse', 'The terminal answered something other than OK.'));
      this.ws.terminate();
      return;
    }
    const rest = this.authBytes.subarray(2);
    this.authBytes = Buffer.alloc(0);
    this.stage = 'open';
    if (this.okTimer) clearTimeout(this.okTimer);
    this.keepAlive = setInterval(() => {
      this.sendRaw(KEEP_ALIVE);
    }, this.options.keepAliveMs);
    this.keepAlive.unref();
    this.emit(this.decoder.decode(rest, { stream: true }));
    this.settleReady?.resolve();
    this.settleReady = undefined;
  }

  private failStart(error: PveError): void {
    if (this.okTimer) clearTimeout(this.okTimer);
    this.settleReady?.reject(error);
    this.settleReady = undefined;
  }

  private sendRaw(data: Buffer): void {
    if (this.ended || this.stage !== 'open' || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(data, { binary: true });
  }

  private emit(text: string): void {
    if (text === '') return;
    if (this.outputListeners.length === 0) {
      this.pending += text;
      return;
    }
    for (const listener of this.outputListeners) listener(text);
  }

  private finish(end: TermEnd): void {
    if (this.ended) return;
    const tail = this.decoder.decode();
    if (tail) this.emit(tail);
    this.ended = end;
    if (this.keepAlive) clearInterval(this.keepAlive);
    if (this.okTimer) clearTimeout(this.okTimer);
    for (const listener of this.endListeners.splice(0)) listener(end);
  }
}

/** The pinned TLS connect of the HTTP client (connector.ts), reused: one trust decision for both. */
function pinnedSocket(url: URL, trust: TrustConfig, timeoutMs: number, signal: AbortSignal | undefined): Promise<tls.TLSSocket> {
  const connect = createConnector(buildConnector, trust, timeoutMs);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => { reject(cancelledError()); };
    signal?.addEventListener('abort', onAbort, { once: true });
    connect(
      { hostname: url.hostname.replace(/^\[|\]$/g, ''), host: url.host, protocol: 'https:', port: url.port || '443', servername: undefined, localAddress: null, httpSocket: undefined },
      (error, socket) => {
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          reject(PveError.is(error) ? error : new PveError('network', `Cannot connect to the server (${(error as NodeJS.ErrnoException).code ?? error.message}).`, { cause: error }));
          return;
        }
        if (signal?.aborted) {
          socket?.destroy();
          return;
        }
        resolve(socket as tls.TLSSocket);
      },
    );
  });
}

/** A refused upgrade is an ordinary PVE answer (401 bad VNC ticket, 403 privilege, 500). */
function readRefusal(res: IncomingMessage): Promise<PveError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    res.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      } catch {
        body = undefined;
      }
      try {
        unwrapEnvelope(res.statusCode ?? 0, res.statusMessage ?? '', body);
        resolve(new PveError('invalidResponse', `The server refused the terminal (HTTP ${res.statusCode ?? '?'}).`));
      } catch (error) {
        resolve(PveError.is(error) ? error : new PveError('invalidResponse', 'The server refused the terminal.'));
      }
    });
    res.on('error', () => {
      resolve(new PveError('network', 'The terminal connection broke during the upgrade.'));
    });
  });
}
