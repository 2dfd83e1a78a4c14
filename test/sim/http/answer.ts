// Response serialization like pve-http-server AnyEvent.pm `response` (NOTES.md §1, §3): the
// reason phrase is the first line of the message (a stray CR turns the answer into a bare 400),
// `Server: pve-api-daemon/3.0`, `Expires` = `Date`, `Cache-Control: max-age=0`, `Pragma: no-cache`,
// gzip above 1 KiB when the client accepts it, no Content-Length for an empty body, and
// `Connection: Keep-Alive` or `close`. Header order follows Perl's HTTP::Headers.
import { STATUS_CODES } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';

export interface Answer {
  readonly status: number;
  /** Error text; its first line becomes the reason phrase. Default: the standard phrase. */
  readonly message?: string;
  /** Extra headers (Content-Type, Content-Disposition, ...). */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer;
  /** Held back before sending (401s: brute-force damping). */
  readonly delayMs?: number;
  /** Body already encoded or must not be compressed. */
  readonly noCompression?: boolean;
}

const HEADER_ORDER = [
  'cache-control', 'connection', 'date', 'pragma', 'trailer', 'transfer-encoding', 'upgrade', 'via', 'warning',
  'accept-ranges', 'age', 'etag', 'location', 'proxy-authenticate', 'retry-after', 'server', 'vary', 'www-authenticate',
  'allow', 'content-encoding', 'content-language', 'content-length', 'content-location', 'content-md5', 'content-range',
  'content-type', 'expires', 'last-modified',
];

function headerRank(name: string): number {
  const i = HEADER_ORDER.indexOf(name.toLowerCase());
  return i < 0 ? HEADER_ORDER.length : i;
}

export function reasonPhrase(status: number, message: string | undefined): { status: number; reason: string; bodyAllowed: boolean } {
  const text = message !== undefined && message !== '' ? message : STATUS_CODES[status] ?? 'Unknown';
  // Perl's /^(.*)$/m stops at "\n" only; a CR left in the first line makes the answer a bare 400.
  const first = text.split('\n')[0] ?? '';
  if (first.includes('\r')) return { status: 400, reason: STATUS_CODES[400] ?? 'Bad Request', bodyAllowed: false };
  return { status, reason: first, bodyAllowed: true };
}

export interface SerializeOptions {
  readonly proto: string;
  readonly keepAlive: boolean;
  readonly acceptEncoding: string | undefined;
  readonly compression: boolean;
  readonly nowMs: number;
}

/** Returns the bytes to write (head and body). */
export function serializeAnswer(answer: Answer, opts: SerializeOptions): { bytes: Buffer; status: number } {
  const phrase = reasonPhrase(answer.status, answer.message);
  let body = phrase.bodyAllowed ? answer.body : undefined;
  if (/^(1\d\d|[23]04)$/.test(String(phrase.status))) body = undefined;
  const headers: [string, string][] = (answer.headers ?? []).map(([k, v]) => [k, v]);
  if (body && body.length > 0) {
    const enc = opts.acceptEncoding ?? '';
    if (opts.compression && !answer.noCompression && body.length > 1024) {
      if (/gzip/.test(enc)) {
        body = gzipSync(body);
        headers.push(['Content-Encoding', 'gzip']);
      } else if (/deflate/.test(enc)) {
        body = deflateSync(body);
        headers.push(['Content-Encoding', 'deflate']);
      }
    }
    headers.push(['Content-Length', String(body.length)]);
  } else {
    body = undefined;
  }
  const date = new Date(opts.nowMs).toUTCString();
  headers.push(['Date', date], ['Expires', date], ['Cache-Control', 'max-age=0'], ['Pragma', 'no-cache']);
  headers.push(['Server', 'pve-api-daemon/3.0']);
  headers.push(['Connection', opts.keepAlive ? 'Keep-Alive' : 'close']);
  headers.sort((a, b) => headerRank(a[0]) - headerRank(b[0]));
  let head = `${opts.proto} ${phrase.status} ${phrase.reason}\r\n`;
  for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const headBuf = Buffer.from(head, 'utf8');
  return { bytes: body ? Buffer.concat([headBuf, body]) : headBuf, status: phrase.status };
}

/** pve-http-server `error()`: the message is also the (untyped) body. */
export function textError(status: number, message: string, extraHeaders?: readonly (readonly [string, string])[]): Answer {
  return { status, message, body: Buffer.from(message, 'utf8'), headers: extraHeaders };
}

/** A response without body (auth failures, unknown method). */
export function bareAnswer(status: number, message: string, delayMs = 0): Answer {
  return { status, message, delayMs };
}
