import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Client, buildConnector, type Dispatcher } from 'undici';
import { createConnector } from './connector';
import { unwrapEnvelope } from './envelope';
import { PveError, cancelledError, isAbortError } from './errors';
import type { TrustConfig } from './trust';

/**
 * A small RFC 6455 client, just what pveproxy's vncwebsocket needs (CONSOLE.md §2). The upgrade
 * goes through an undici Client with the HTTP client's own pinned connector, so the terminal is
 * trusted exactly like every API request and no credential leaves before the certificate is
 * accepted. (VS Code patches Node's http/https modules for its proxy support, which would replace
 * a pinned socket handed to them; undici with an explicit connector is not affected.)
 * Client frames are masked and never fragmented; a refused upgrade is PVE's ordinary HTTP answer.
 */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 16 * 1024 * 1024;
const MAX_ERROR_BODY = 64 * 1024;

export interface WebSocketOptions {
  readonly baseUrl: string;
  readonly path: string;
  readonly trust: TrustConfig;
  readonly headers: Record<string, string>;
  readonly protocol?: string;
  readonly connectTimeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type WebSocketClose =
  /** The server closed TCP without a close frame (what pveproxy does when termproxy exits): 1006. */
  | { readonly kind: 'abnormal' }
  | { readonly kind: 'closeFrame'; readonly code: number | undefined }
  | { readonly kind: 'local' }
  | { readonly kind: 'error'; readonly error: Error };

export class WebSocketClient {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closed: WebSocketClose | undefined;
  private closing = false;
  private readonly messageListeners: ((data: Buffer) => void)[] = [];
  private readonly closeListeners: ((close: WebSocketClose) => void)[] = [];

  private constructor(private readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => {
      this.receive(chunk);
    });
    socket.on('error', (error: Error) => {
      this.finish({ kind: 'error', error });
    });
    socket.on('close', () => {
      this.finish(this.closing ? { kind: 'local' } : { kind: 'abnormal' });
    });
    socket.on('end', () => {
      socket.end();
    });
    socket.resume();
  }

  /** Connects, upgrades and returns the open socket; a refusal is the PveError of PVE's answer. */
  static async connect(options: WebSocketOptions): Promise<WebSocketClient> {
    const { signal } = options;
    if (signal?.aborted) throw cancelledError();
    const origin = new URL(options.baseUrl).origin;
    const client = new Client(origin, {
      connect: createConnector(buildConnector, options.trust, options.connectTimeoutMs ?? 10_000),
      headersTimeout: options.handshakeTimeoutMs ?? 30_000,
      bodyTimeout: options.handshakeTimeoutMs ?? 30_000,
    });
    const key = randomBytes(16).toString('base64');
    const headers: Record<string, string> = {
      ...options.headers,
      'sec-websocket-key': key,
      'sec-websocket-version': '13',
      ...(options.protocol ? { 'sec-websocket-protocol': options.protocol } : {}),
    };
    try {
      const socket = await upgrade(client, { origin, path: options.path, method: 'GET', upgrade: 'websocket', headers }, key, signal);
      return new WebSocketClient(socket);
    } finally {
      // After a 101 the socket belongs to us; undici has let go of it.
      void client.close().catch(() => undefined);
    }
  }

  onMessage(listener: (data: Buffer) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: (close: WebSocketClose) => void): void {
    if (this.closed) listener(this.closed);
    else this.closeListeners.push(listener);
  }

  get isOpen(): boolean {
    return this.closed === undefined && !this.closing;
  }

  /** One unfragmented, masked binary frame (pveproxy drops the connection on fragments). */
  send(data: Buffer): void {
    if (!this.isOpen) return;
    this.socket.write(encodeClientFrame(0x2, data));
  }

  /** A close frame; pveproxy answers by closing TCP, so the socket is ended soon after in any case. */
  close(code = 1000): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.socket.write(encodeClientFrame(0x8, payload));
    setTimeout(() => { this.socket.destroy(); }, 2_000).unref();
  }

  /** Drops the connection at once. */
  terminate(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const frame = decodeServerFrame(this.buffer);
      if (frame === undefined) return;
      if (frame === 'invalid') {
        this.socket.destroy();
        this.finish({ kind: 'error', error: new PveError('invalidResponse', 'The terminal sent an invalid websocket frame.') });
        return;
      }
      this.buffer = this.buffer.subarray(frame.length);
      this.handle(frame.opcode, frame.fin, frame.payload);
      if (this.closed) return;
    }
  }

  private handle(opcode: number, fin: boolean, payload: Buffer): void {
    switch (opcode) {
      case 0x0:
      case 0x1:
      case 0x2:
        this.fragments.push(payload);
        if (!fin) return;
        {
          const data = this.fragments.length === 1 ? payload : Buffer.concat(this.fragments);
          this.fragments = [];
          for (const listener of this.messageListeners) listener(data);
        }
        return;
      case 0x8: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
        if (!this.closing) {
          this.closing = true;
          this.socket.write(encodeClientFrame(0x8, payload.subarray(0, 2)));
        }
        this.socket.end();
        this.finish({ kind: 'closeFrame', code });
        return;
      }
      case 0x9:
        if (this.isOpen) this.socket.write(encodeClientFrame(0xa, payload));
        return;
      default:
        // 0xA pong and reserved opcodes: nothing to do.
        return;
    }
  }

  private finish(close: WebSocketClose): void {
    if (this.closed) return;
    this.closed = close;
    for (const listener of this.closeListeners.splice(0)) listener(close);
  }
}

/** Masked client frame (RFC 6455 §5.2). */
export function encodeClientFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const headLen = len <= 125 ? 2 : len <= 0xffff ? 4 : 10;
  const frame = Buffer.alloc(headLen + 4 + len);
  frame[0] = 0x80 | opcode;
  if (len <= 125) {
    frame[1] = 0x80 | len;
  } else if (len <= 0xffff) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, headLen);
  for (let i = 0; i < len; i++) frame[headLen + 4 + i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
  return frame;
}

/** One server frame from the start of `buffer`: undefined when incomplete, 'invalid' for a masked or oversized one. */
export function decodeServerFrame(buffer: Buffer): { opcode: number; fin: boolean; payload: Buffer; length: number } | 'invalid' | undefined {
  if (buffer.length < 2) return undefined;
  const b0 = buffer[0] ?? 0;
  const b1 = buffer[1] ?? 0;
  if ((b1 & 0x80) !== 0) return 'invalid'; // servers never mask
  let offset = 2;
  let len = b1 & 0x7f;
  if (len === 126) {
    if (buffer.length < 4) return undefined;
    len = buffer.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buffer.length < 10) return undefined;
    const big = buffer.readBigUInt64BE(2);
    if (big > BigInt(MAX_MESSAGE)) return 'invalid';
    len = Number(big);
    offset = 10;
  }
  if (len > MAX_MESSAGE) return 'invalid';
  if (buffer.length < offset + len) return undefined;
  return { opcode: b0 & 0x0f, fin: (b0 & 0x80) !== 0, payload: Buffer.from(buffer.subarray(offset, offset + len)), length: offset + len };
}

function upgrade(client: Client, options: Dispatcher.DispatchOptions, key: string, signal: AbortSignal | undefined): Promise<Duplex> {
  const expectedAccept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
  return new Promise<Duplex>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let reason = '';
    let size = 0;
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      controller?.abort(cancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    client.dispatch(options, {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (signal?.aborted) ctrl.abort(cancelledError());
      },
      onRequestUpgrade(_ctrl, statusCode, headers, socket) {
        const accept = headers['sec-websocket-accept'];
        if (statusCode !== 101 || accept !== expectedAccept) {
          socket.destroy();
          settle(() => { reject(new PveError('invalidResponse', 'The server did not accept the websocket upgrade.')); });
          return;
        }
        // Held until the caller listens: nothing the server sends right after the 101 may be lost.
        socket.pause();
        settle(() => { resolve(socket); });
      },
      onResponseStart(_ctrl, statusCode, _headers, statusMessage) {
        status = statusCode;
        reason = statusMessage ?? '';
      },
      onResponseData(_ctrl, chunk) {
        size += chunk.length;
        if (size <= MAX_ERROR_BODY) chunks.push(chunk);
      },
      onResponseEnd() {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        } catch {
          body = undefined;
        }
        settle(() => {
          try {
            unwrapEnvelope(status, reason, body);
            reject(new PveError('invalidResponse', `The server answered the websocket upgrade with HTTP ${status}.`, { status }));
          } catch (error) {
            reject(error instanceof Error ? error : new PveError('invalidResponse', String(error)));
          }
        });
      },
      onResponseError(_ctrl, error) {
        settle(() => { reject(toError(error)); });
      },
    });
  });
}

function toError(error: unknown): Error {
  if (PveError.is(error)) return error;
  if (isAbortError(error)) return cancelledError(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return new PveError('timeout', 'The terminal connection timed out.', { cause: error });
  return new PveError('network', `The terminal connection failed (${code || message}).`, { cause: error });
}
