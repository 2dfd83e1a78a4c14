import { PveError, parsePermissionMessage, type PveErrorReason } from './errors';
import type { ApiResult } from './transport';

/**
 * The one place where PVE's `{data}` envelope is unwrapped and its errors become PveError.
 * Message rule (NOTES.md §3): the body's `message` if present (PVE >= 8.3), else the reason phrase.
 */
export function unwrapEnvelope(status: number, reasonPhrase: string, body: unknown): ApiResult {
  const envelope = isRecord(body) ? body : undefined;
  if (status >= 200 && status < 300) {
    if (!envelope || !('data' in envelope)) {
      throw new PveError('invalidResponse', 'The server answered without a Proxmox "data" envelope.', { status });
    }
    const total = typeof envelope.total === 'number' ? envelope.total : typeof envelope.total === 'string' ? Number(envelope.total) : undefined;
    return total === undefined || Number.isNaN(total) ? { data: envelope.data } : { data: envelope.data, total };
  }
  const bodyMessage = typeof envelope?.message === 'string' ? envelope.message.trim() : '';
  const message = bodyMessage || reasonPhrase.trim() || `HTTP ${status}`;
  const errors = readErrors(envelope?.errors);
  throw new PveError(reasonFor(status, message), message, {
    status,
    ...(errors ? { errors } : {}),
    ...(status === 403 ? { permission: parsePermissionMessage(message) } : {}),
  });
}

function reasonFor(status: number, message: string): PveErrorReason {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 400) return 'badRequest';
  if (status === 404 || status === 501) return 'notFound';
  if (status === 595 || status === 596) return 'nodeUnreachable';
  if (status === 500) return classifyServerMessage(message);
  return 'serverError';
}

// PVE reports business failures as 500 with a text (NOTES.md §3, §9). These shapes are stable
// across 7.x-9.x; anything else stays a plain serverError.
const NOT_FOUND = [/^Configuration file '.*' does not exist/, /^snapshot '.*' does not exist/, /^no such (task|VM|CT)/i, /hostname lookup '.*' failed/];
const CONFLICT = [/^(VM|CT) is locked/, /can't lock file/, /already running/, /not running/, /is paused/, /already exists/, /already used/];

export function classifyServerMessage(message: string): PveErrorReason {
  if (NOT_FOUND.some((pattern) => pattern.test(message))) return 'notFound';
  if (CONFLICT.some((pattern) => pattern.test(message))) return 'conflict';
  return 'serverError';
}

function readErrors(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    out[key] = typeof text === 'string' ? text.trim() : JSON.stringify(text);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
