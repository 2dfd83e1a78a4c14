// One client connection, handled the way pveproxy's AnyEvent loop does it: requests are read and
// answered one at a time; after an answer the socket stays open only with keep-alive, and an idle
// socket (no bytes either way) is closed after 5 s. Also the socket-level fault actions: RST,
// never answering, closing right after an answer, streaming a huge body.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { serializeAnswer, textError, type Answer } from './answer';
import { parseRequestHead, type RequestHead } from './requestHead';
import { encodeFrame, FrameError, FrameParser, WS_MAX_PAYLOAD, type WebSocketBackend, type WebSocketPeer } from './websocket';

export interface IncomingRequest {
  readonly head: RequestHead;
  readonly body: Buffer;
  /** Content-Length exceeded the POST limit; the body was not read. */
  readonly bodyTooLarge: boolean;
  readonly connection: ConnectionInfo;
  /** Requests left before pveproxy stops keep-alive on this connection (starts at 100). */
  readonly keepAliveLeft: number;
}

export interface ConnectionInfo {
  readonly id: number;
  readonly tlsProtocol?: string;
}

export interface StreamBody {
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly totalBytes: number;
  readonly declareLength: boolean;
  /** Returns the chunk at `offset` (at most `max` bytes). */
  chunk(offset: number, max: number): Buffer;
}

export type ProcessResult =
  | { readonly type: 'answer'; readonly answer: Answer; readonly keepAlive: boolean; readonly closeAfterMs?: number; readonly proto: string; readonly acceptEncoding?: string }
  | { readonly type: 'reset' }
  | { readonly type: 'hang' }
  | { readonly type: 'stream'; readonly stream: StreamBody; readonly proto: string }
  /** 101 Switching Protocols, then the connection carries websocket frames to `attach`'s backend. */
  | { readonly type: 'upgrade'; readonly proto: string; readonly accept: string; readonly protocol: string; readonly attach: (peer: WebSocketPeer) => WebSocketBackend }
  /** No answer at all; the connection is closed (TLS close_notify, FIN). */
  | { readonly type: 'close' };

export interface RequestProcessor {
  process(req: IncomingRequest): Promise<ProcessResult>;
  idleTimeoutMs(): number;
  compression(): boolean;
  now(): number;
}

const MAX_POST = 512 * 1024;
const KEEP_ALIVE_REQUESTS = 100;

export class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private busy = false;
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private keepAliveLeft = KEEP_ALIVE_REQUESTS;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Set after a 101: frames go to the backend, HTTP parsing and the idle timeout stop. */
  private websocket: { readonly parser: FrameParser; backend: WebSocketBackend | undefined } | undefined;
  tlsProtocol: string | undefined;

  constructor(
    readonly id: number,
    private readonly raw: Socket,
    private readonly tls: TLSSocket,
    private readonly processor: RequestProcessor,
    private readonly onClose: (c: Connection) => void,
  ) {
    tls.on('secure', () => {
      this.tlsProtocol = tls.getProtocol() ?? undefined;
    });
    tls.on('data', (chunk: Buffer) => {
      if (this.websocket) {
        this.frames(chunk);
        return;
      }
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.armIdle();
      this.pump();
    });
    const finish = (): void => {
      if (this.closed) return;
      this.closed = true;
      this.clearIdle();
      for (const t of this.timers) clearTimeout(t);
      const backend = this.websocket?.backend;
      if (backend) {
        this.websocket = undefined;
        backend.onClose('disconnect');
      }
      this.onClose(this);
    };
    tls.on('error', () => {
      tls.destroy();
    });
    tls.on('close', finish);
    raw.on('close', finish);
    tls.on('end', () => {
      // The client half-closed: finish what is in flight, then close our side too.
      if (!this.busy) tls.end();
    });
    this.armIdle();
  }

  /** Waiting for the next request (keep-alive). */
  get idle(): boolean {
    return !this.busy && this.buffer.length === 0 && !this.closed;
  }

  private armIdle(): void {
    this.clearIdle();
    if (this.busy || this.closed || this.websocket) return;
    this.idleTimer = setTimeout(() => {
      this.end();
    }, this.processor.idleTimeoutMs());
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Graceful close (TLS close_notify, then FIN). */
  end(): void {
    if (this.closed) return;
    this.clearIdle();
    this.tls.end();
  }

  /** TCP RST: the client sees ECONNRESET. */
  reset(): void {
    if (this.closed) return;
    try {
      this.raw.resetAndDestroy();
    } catch {
      this.raw.destroy();
    }
    this.tls.destroy();
  }

  destroy(): void {
    this.tls.destroy();
    this.raw.destroy();
  }

  private pump(): void {
    if (this.busy || this.closed) return;
    const parsed = parseRequestHead(this.buffer);
    if (parsed.kind === 'incomplete') return;
    if (parsed.kind === 'error') {
      this.buffer = Buffer.alloc(0);
      this.busy = true;
      this.write({ type: 'answer', answer: textError(parsed.status, parsed.message), keepAlive: false, proto: 'HTTP/1.0' });
      return;
    }
    const { head } = parsed;
    const lenText = head.headers.get('content-length');
    const len = lenText !== undefined ? Math.max(0, Number.parseInt(lenText, 10) || 0) : 0;
    const tooLarge = len > MAX_POST;
    if (!tooLarge && this.buffer.length < parsed.consumed + len) return;
    const body = tooLarge ? Buffer.alloc(0) : this.buffer.subarray(parsed.consumed, parsed.consumed + len);
    this.buffer = tooLarge ? Buffer.alloc(0) : this.buffer.subarray(parsed.consumed + len);
    this.busy = true;
    this.clearIdle();
    this.keepAliveLeft--;
    const req: IncomingRequest = { head, body, bodyTooLarge: tooLarge, connection: { id: this.id, tlsProtocol: this.tlsProtocol }, keepAliveLeft: this.keepAliveLeft };
    this.processor.process(req).then(
      (result) => {
        this.write(result);
      },
      () => {
        this.write({ type: 'answer', answer: textError(500, 'internal simulator error\n'), keepAlive: false, proto: 'HTTP/1.1' });
      },
    );
  }

  private write(result: ProcessResult): void {
    if (this.closed) return;
    if (result.type === 'reset') {
      this.reset();
      return;
    }
    if (result.type === 'hang') return;
    if (result.type === 'close') {
      this.end();
      return;
    }
    if (result.type === 'upgrade') {
      this.upgrade(result);
      return;
    }
    if (result.type === 'stream') {
      this.writeStream(result.stream, result.proto);
      return;
    }
    const send = (): void => {
      if (this.closed) return;
      const { bytes } = serializeAnswer(result.answer, {
        proto: result.proto,
        keepAlive: result.keepAlive,
        acceptEncoding: result.acceptEncoding,
        compression: this.processor.compression(),
        nowMs: this.processor.now(),
      });
      this.tls.write(bytes);
      this.busy = false;
      if (!result.keepAlive) {
        this.end();
        return;
      }
      if (result.closeAfterMs !== undefined) {
        this.later(result.closeAfterMs, () => {
          this.end();
        });
        if (result.closeAfterMs === 0) return;
      }
      this.armIdle();
      this.pump();
    };
    const delay = result.answer.delayMs ?? 0;
    if (delay > 0) this.later(delay, send);
    else send();
  }

  /** websocket_proxy: the 101, then frames both ways until either side ends. */
  private upgrade(result: Extract<ProcessResult, { type: 'upgrade' }>): void {
    this.clearIdle();
    let head = `${result.proto} 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ${result.accept}\r\n`;
    // Echoes whatever subprotocol was asked for (libpve-http-server-perl >= 4.0-2).
    if (result.protocol !== '') head += `Sec-WebSocket-Protocol: ${result.protocol}\r\n`;
    this.tls.write(`${head}\r\n`);
    const ws: { parser: FrameParser; backend: WebSocketBackend | undefined } = { parser: new FrameParser(), backend: undefined };
    this.websocket = ws;
    const isClosed = (): boolean => this.closed || this.websocket !== ws;
    const peer: WebSocketPeer = {
      send: (data) => {
        if (isClosed()) return;
        for (let offset = 0; offset < data.length; offset += WS_MAX_PAYLOAD) {
          this.tls.write(encodeFrame(data.subarray(offset, offset + WS_MAX_PAYLOAD)));
        }
      },
      end: () => {
        this.websocket = undefined;
        this.end();
      },
      get closed() {
        return isClosed();
      },
    };
    ws.backend = result.attach(peer);
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    if (rest.length > 0) this.frames(rest);
  }

  private frames(chunk: Buffer): void {
    const ws = this.websocket;
    if (!ws?.backend) return;
    let events;
    try {
      events = ws.parser.push(chunk);
    } catch (error) {
      // pveproxy dies in the reader: the connection is dropped without a close frame.
      const backend = ws.backend;
      this.websocket = undefined;
      backend.onClose('protocolError', error instanceof FrameError ? error.message : String(error));
      this.destroy();
      return;
    }
    for (const event of events) {
      const backend = this.websocket?.backend;
      if (!backend) return;
      if (event.kind === 'data') backend.onData(event.payload);
      else if (event.kind === 'ping') this.tls.write(encodeFrame(event.payload, 0xa));
      else if (event.kind === 'close') {
        this.websocket = undefined;
        backend.onClose('closeFrame');
        this.end();
      }
    }
  }

  private writeStream(stream: StreamBody, proto: string): void {
    const headers = [...stream.headers];
    if (stream.declareLength) headers.push(['Content-Length', String(stream.totalBytes)]);
    headers.push(['Server', 'pve-api-daemon/3.0'], ['Connection', 'close']);
    let head = `${proto} ${stream.status} ${stream.reason}\r\n`;
    for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
    this.tls.write(`${head}\r\n`);
    let offset = 0;
    const step = (): void => {
      while (!this.closed && offset < stream.totalBytes) {
        const chunk = stream.chunk(offset, 64 * 1024);
        offset += chunk.length;
        if (!this.tls.write(chunk)) {
          this.tls.once('drain', step);
          return;
        }
      }
      if (!this.closed) this.end();
    };
    step();
  }
}
