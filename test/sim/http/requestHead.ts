// Request head parsing with pve-http-server's rules (AnyEvent.pm push_request_header /
// unshift_read_header): lines end in CRLF or LF, empty lines before the request line are skipped,
// at most 64 header lines and 8 KiB of headers, continuation lines are folded.

export interface RequestHead {
  readonly method: string;
  /** The request target as sent (path and query, not decoded). */
  readonly target: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** Header values by lower-case name; repeated headers are joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
}

export type HeadParse =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'head'; readonly head: RequestHead; readonly consumed: number }
  | { readonly kind: 'error'; readonly status: number; readonly message: string; readonly consumed: number };

const MAX_HEADER_LINES = 64;
const MAX_HEADER_SIZE = 8 * 1024;

export function parseRequestHead(buf: Buffer): HeadParse {
  let pos = 0;
  const nextLine = (): string | undefined => {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) return undefined;
    let end = nl;
    if (end > pos && buf[end - 1] === 0x0d) end--;
    const line = buf.toString('latin1', pos, end);
    pos = nl + 1;
    return line;
  };
  let requestLine: string | undefined;
  for (;;) {
    const line = nextLine();
    if (line === undefined) return buf.length > MAX_HEADER_SIZE ? { kind: 'error', status: 400, message: 'bad request', consumed: buf.length } : { kind: 'incomplete' };
    if (line !== '') {
      requestLine = line;
      break;
    }
  }
  const m = /(\S+)\x20(\S+)\x20HTTP\/(\d+)\.(\d+)/.exec(requestLine);
  if (!m?.[1] || m[2] === undefined) return { kind: 'error', status: 400, message: 'bad request', consumed: pos };
  const major = Number(m[3]);
  const minor = Number(m[4]);
  if (major !== 1) return { kind: 'error', status: 506, message: `http protocol version ${major}.${minor} not supported`, consumed: pos };
  // An '@' before the first slash could make proxies treat the path as an authority.
  if (/^[^/]*@/.test(m[2])) return { kind: 'error', status: 400, message: 'invalid url', consumed: pos };

  const headers = new Map<string, string>();
  let count = 0;
  let size = 0;
  let key: string | undefined;
  let value = '';
  const push = (): void => {
    if (key === undefined) return;
    const k = key.toLowerCase();
    const old = headers.get(k);
    headers.set(k, old === undefined ? value : `${old}, ${value}`);
  };
  for (;;) {
    const line = nextLine();
    if (line === undefined) {
      return buf.length - pos > MAX_HEADER_SIZE ? { kind: 'error', status: 400, message: 'http header too large', consumed: buf.length } : { kind: 'incomplete' };
    }
    if (++count >= MAX_HEADER_LINES) return { kind: 'error', status: 400, message: `too many http header lines (> ${MAX_HEADER_LINES})`, consumed: pos };
    size += line.length;
    if (size >= MAX_HEADER_SIZE) return { kind: 'error', status: 400, message: 'http header too large', consumed: pos };
    if (line === '') {
      push();
      return { kind: 'head', head: { method: m[1], target: m[2], versionMajor: major, versionMinor: minor, headers }, consumed: pos };
    }
    const h = /^([^:\s]+)\s*:\s*(.*)/.exec(line);
    if (h?.[1] !== undefined) {
      push();
      key = h[1];
      value = h[2] ?? '';
      continue;
    }
    const cont = /^\s+(.*)/.exec(line);
    if (cont) {
      value += ` ${cont[1] ?? ''}`;
      continue;
    }
    return { kind: 'error', status: 506, message: 'unable to parse request header', consumed: pos };
  }
}
