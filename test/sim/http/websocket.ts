// The server half of pveproxy's websocket proxy (pve-http-server AnyEvent.pm websocket_proxy;
// CONSOLE.md §2): after the 101, client frames must be masked, unfragmented, without RSV bits and
// at most 128 KiB (anything else drops the connection, no close frame); text and binary payloads
// are both forwarded as raw bytes; a ping is answered with a pong; a close frame shuts both sides.
// Server frames are always binary (0x82) and carry at most 128 KiB each. When the backend ends,
// the TCP connection is closed without a close frame (the client sees 1006).
import { createHash } from 'node:crypto';

export const WS_MAX_PAYLOAD = 128 * 1024;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Sec-WebSocket-Accept for a key (Perl: sha1_base64 plus the missing "=" padding). */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(`${key}${GUID}`).digest('base64');
}

/** Encodes one unmasked server frame (pveproxy's $encode). */
export function encodeFrame(payload: Buffer, opcode = 0x2): Buffer {
  const len = payload.length;
  let head: Buffer;
  if (len <= 125) {
    head = Buffer.from([0x80 | opcode, len]);
  } else if (len <= 0xffff) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

export type FrameEvent =
  | { readonly kind: 'data'; readonly payload: Buffer; readonly opcode: number }
  | { readonly kind: 'close'; readonly code: number | undefined }
  | { readonly kind: 'ping'; readonly payload: Buffer }
  | { readonly kind: 'pong' };

/** Thrown for a frame pveproxy refuses; the connection is then dropped. */
export class FrameError extends Error {}

/** Incremental parser of client frames, with pveproxy's checks in its order. */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): FrameEvent[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: FrameEvent[] = [];
    for (;;) {
      const buf = this.buffer;
      if (buf.length < 2) break;
      const b0 = buf[0] ?? 0;
      const b1 = buf[1] ?? 0;
      const opcode = b0 & 0x0f;
      if ((b0 & 0x80) === 0) throw new FrameError('received fragmented websocket frame');
      if ((b0 & 0x70) !== 0) throw new FrameError('received websocket frame with RSV flags');
      if ((b1 & 0x80) === 0) throw new FrameError('received unmasked websocket frame from client');
      let offset = 2;
      let len = b1 & 0x7f;
      if (len === 126) {
        if (buf.length < 4) break;
        len = buf.readUInt16BE(2);
        offset += 2;
      } else if (len === 127) {
        if (buf.length < 10) break;
        const big = buf.readBigUInt64BE(2);
        if (big > BigInt(WS_MAX_PAYLOAD)) throw new FrameError(`received too large websocket frame (len = ${big})`);
        len = Number(big);
        offset += 8;
      }
      if (len > WS_MAX_PAYLOAD) throw new FrameError(`received too large websocket frame (len = ${len})`);
      if (buf.length < offset + 4 + len) break;
      const mask = buf.subarray(offset, offset + 4);
      const payload = Buffer.from(buf.subarray(offset + 4, offset + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
      this.buffer = buf.subarray(offset + 4 + len);
      if (opcode === 1 || opcode === 2) events.push({ kind: 'data', payload, opcode });
      else if (opcode === 8) events.push({ kind: 'close', code: payload.length >= 2 ? payload.readUInt16BE(0) : undefined });
      else if (opcode === 9) events.push({ kind: 'ping', payload });
      else if (opcode === 0xa) events.push({ kind: 'pong' });
      else throw new FrameError(`received unhandled websocket opcode ${opcode}`);
    }
    return events;
  }

  /** Bytes received but not yet a whole frame. */
  get pending(): number {
    return this.buffer.length;
  }
}

/** The upgraded connection as the backend (the fake termproxy) sees it. */
export interface WebSocketPeer {
  /** Sends bytes to the client, split into binary frames of at most 128 KiB. */
  send(data: Buffer): void;
  /** Ends the TCP connection without a close frame, like pveproxy when the backend exits. */
  end(): void;
  readonly closed: boolean;
}

/** What the backend receives from the client side. */
export interface WebSocketBackend {
  onData(data: Buffer): void;
  /** The client sent a close frame, broke the protocol, or the connection went away. */
  onClose(reason: 'closeFrame' | 'protocolError' | 'disconnect', detail?: string): void;
}
