import { tryParseUpid } from './upid';

/**
 * The rules for an API path a person types (the palette's "Get API Path…", like `pvesh get`):
 * GET only, always against the cluster's fixed origin, and nothing that could step outside the
 * API root or be re-interpreted by pveproxy (SECURITY.md, Input).
 */
export type UserPathProblem =
  | 'empty'
  | 'absoluteUrl'
  | 'query'
  | 'fragment'
  | 'doubleSlash'
  | 'dotSegment'
  | 'emptySegment'
  | 'userInfo'
  | 'relative'
  | 'percent'
  | 'character'
  | 'tooLong';

export type UserPathResult =
  | { readonly ok: true; readonly path: string; readonly segments: readonly string[] }
  | { readonly ok: false; readonly problem: UserPathProblem };

const SEGMENT_PATTERN = /^[A-Za-z0-9_.:!=+,~-]+$/;
const API_PREFIX = '/api2/json';

export function parseUserApiPath(input: string): UserPathResult {
  let text = input.trim();
  if (text.length === 0) return { ok: false, problem: 'empty' };
  if (text.length > 1024) return { ok: false, problem: 'tooLong' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !text.startsWith('/')) return { ok: false, problem: 'absoluteUrl' };
  if (text.startsWith('//')) return { ok: false, problem: 'absoluteUrl' };
  if (text.includes('?')) return { ok: false, problem: 'query' };
  if (text.includes('#')) return { ok: false, problem: 'fragment' };
  if (text.includes('%')) return { ok: false, problem: 'percent' };
  if (text.includes('//')) return { ok: false, problem: 'doubleSlash' };
  // Like `pvesh`, paths are absolute; `a/b` is more likely a value typed in the wrong box.
  if (!text.startsWith('/')) return { ok: false, problem: 'relative' };
  if (text === API_PREFIX || text.startsWith(`${API_PREFIX}/`)) text = text.slice(API_PREFIX.length) || '/';
  // One trailing slash is how people type directories (`/nodes/`); it is not a segment.
  if (text.length > 1 && text.endsWith('/')) text = text.slice(0, -1);
  if (text === '/') return { ok: true, path: '/', segments: [] };
  const segments = text.slice(1).split('/');
  for (const segment of segments) {
    if (segment.length === 0) return { ok: false, problem: 'emptySegment' };
    if (segment === '.' || segment === '..') return { ok: false, problem: 'dotSegment' };
    if (tryParseUpid(segment)) continue; // a UPID carries `user@realm`; its own regex bounds it
    if (segment.includes('@')) return { ok: false, problem: 'userInfo' };
    if (!SEGMENT_PATTERN.test(segment)) return { ok: false, problem: 'character' };
  }
  return { ok: true, path: `/${segments.map(encodeURIComponent).join('/')}`, segments };
}
