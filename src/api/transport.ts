/**
 * The seam between the domain client and how requests travel: HTTPS to pveproxy, or the local
 * `pvesh` CLI on a PVE node. Both return the unwrapped `data` (and `total` where PVE adds it)
 * and throw only PveError.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type ParamValue = string | number | boolean | undefined;

export interface ApiRequest {
  readonly method: HttpMethod;
  /** An already validated and encoded path below `/api2/json`, starting with `/`. */
  readonly path: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly signal?: AbortSignal;
  /** Larger bound for user-requested raw reads (palette queries); defaults to the transport's. */
  readonly maxResponseBytes?: number;
}

export interface ApiResult {
  readonly data: unknown;
  readonly total?: number;
}

/** One line per request for the log and for request-count benchmarks; never carries secrets. */
export interface RequestEvent {
  readonly method: HttpMethod;
  readonly path: string;
  readonly status: number | undefined;
  readonly durationMs: number;
  readonly attempt: number;
  readonly error?: string;
}

export interface Transport {
  request(request: ApiRequest): Promise<ApiResult>;
  /** Drops pooled connections (after re-pinning a certificate, or when a cluster is removed). */
  close(): Promise<void>;
}

/** PVE wants booleans as 1/0 in form and query encoding (`true` is a 400). */
export function encodeParams(params: Readonly<Record<string, ParamValue>> | undefined): string {
  const search = new URLSearchParams();
  if (!params) return '';
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return search.toString();
}
