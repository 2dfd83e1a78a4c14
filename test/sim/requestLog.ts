// What the simulator remembers about each request, for assertions like "no request was sent
// before the certificate was accepted" or "the stop was not resent". Secrets never enter it: tokens
// are kept by id only, passwords/OTPs/tickets are masked.

export type RecordedAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly tokenId: string }
  | { readonly kind: 'ticket'; readonly userid: string }
  /** Rejected with 401; `tokenId` is the id part of a presented API token, if any. */
  | { readonly kind: 'failed'; readonly reason: string; readonly tokenId?: string };

export interface RequestRecord {
  /** 1-based sequence number. */
  readonly seq: number;
  /** Unix ms when the request head was complete. */
  readonly time: number;
  readonly method: string;
  /** Decoded path, e.g. /api2/json/nodes/pve1/qemu/100/status/stop. */
  readonly path: string;
  /** The path relative to /api2/json (undefined outside the API). */
  readonly apiPath?: string;
  readonly query: Readonly<Record<string, unknown>>;
  /** Body and query parameters as the API saw them (secrets masked). */
  params: Readonly<Record<string, unknown>>;
  auth: RecordedAuth;
  /** What the client sent, whether or not it was checked: a token header, a ticket, nothing. */
  readonly credentials: 'token' | 'ticket' | 'none';
  /** A CSRFPreventionToken header was sent (its value is never recorded). */
  readonly csrf: boolean;
  /** The request asked for a websocket upgrade; `status` is 101 when it was granted. */
  readonly upgrade?: boolean;
  /** Status code sent, undefined for resets/hangs. */
  status?: number;
  /** Fault applied (e.g. "resetAfter", "latency:200"). */
  fault?: string;
  durationMs?: number;
  /** Connection number (1-based) the request came in on. */
  readonly connection: number;
  readonly tlsProtocol?: string;
}

const SECRET_PARAMS = new Set(['password', 'otp', 'tfa-challenge', 'vncticket']);

export function maskParams(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const res: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) res[k] = SECRET_PARAMS.has(k) && v !== undefined && v !== null ? '***' : v;
  return res;
}
