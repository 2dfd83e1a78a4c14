import * as z from 'zod/mini';
import type { Authenticator } from './auth';
import { TermproxyError, type TermFailure } from './consoleErrors';
import { PveError, cancelledError } from './errors';
import { checkNode, guestPath } from './paths';
import type { Transport } from './transport';
import type { TrustConfig } from './trust';
import { WebSocketClient } from './websocketClient';

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

export { TermproxyError, type TermFailure };

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
  private stage: 'auth' | 'open' = 'auth';
  private authBytes = Buffer.alloc(0);
  /** Output that arrived before anyone listened (often in the same frame as `OK`). */
  private pending = '';
  private keepAlive: NodeJS.Timeout | undefined;
  private okTimer: NodeJS.Timeout | undefined;
  private ended: TermEnd | undefined;
  private readonly ready: Promise<void>;
  private settleReady: { resolve: () => void; reject: (error: PveError) => void } | undefined;

  private constructor(
    private readonly ws: WebSocketClient,
    readonly grant: TermGrant,
    private readonly options: { readonly okTimeoutMs: number; readonly keepAliveMs: number },
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    // Listeners from the start, so nothing is lost between the `OK` and the first output.
    ws.onMessage((data) => { this.onMessage(data); });
    ws.onClose((close) => {
      if (this.stage !== 'open') this.failStart(new TermproxyError('closedBeforeOk', 'The terminal closed before it started.'));
      this.finish(close.kind === 'local' ? { kind: 'local' } : close.kind === 'error' ? { kind: 'error', error: PveError.is(close.error) ? close.error : new PveError('network', `The terminal connection failed: ${close.error.message}`, { cause: close.error }) } : { kind: 'remote' });
    });
    // `user:ticket\n` in one frame; termproxy splits at the first ':' (the user has none).
    ws.send(Buffer.from(`${grant.user}:${grant.ticket}\n`, 'utf8'));
    this.okTimer = setTimeout(() => {
      this.failStart(new TermproxyError('noOk', 'The terminal did not confirm the ticket.'));
      ws.terminate();
    }, options.okTimeoutMs);
  }

  /**
   * Opens the websocket through the pinned connector of the HTTP client (no credential leaves
   * before the certificate is accepted), authenticates with termproxy and waits for its `OK`.
   */
  static async open(endpoint: TermEndpoint, target: TermTarget, grant: TermGrant, options: TermOptions = {}): Promise<TermproxyConnection> {
    const { signal } = options;
    if (signal?.aborted) throw cancelledError();
    const headers = await endpoint.auth.headers('GET', signal);
    const ws = await WebSocketClient.connect({
      baseUrl: endpoint.baseUrl,
      path: vncWebsocketPath(target, grant),
      trust: endpoint.trust,
      headers,
      // pveproxy echoes the subprotocol; `binary` is what every PVE version accepts.
      protocol: 'binary',
      ...(endpoint.connectTimeoutMs !== undefined ? { connectTimeoutMs: endpoint.connectTimeoutMs } : {}),
      ...(options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: options.handshakeTimeoutMs } : {}),
      ...(signal ? { signal } : {}),
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
    this.ws.close(1000);
  }

  private onMessage(data: Buffer): void {
    if (this.stage === 'open') {
      this.emit(this.decoder.decode(data, { stream: true }));
      return;
    }
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
    if (this.ended || this.stage !== 'open') return;
    this.ws.send(data);
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

