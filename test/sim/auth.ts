// Request authentication as pve-manager PVE::HTTPServer::auth_handler does it (NOTES.md §4):
// ticket from the PVEAuthCookie cookie (preferred) or an `Authorization: PVEAuthCookie=` header,
// else an API token from `Authorization: PVEAPIToken=USER@REALM!NAME=SECRET` (split at the last '=').
// Failures are plain 401s whose reason phrase is the whole story ("No ticket",
// "Authentication failed!", "Permission denied - invalid csrf token"); the server sends them late.
import type { SimClock } from './clock';
import type { SimUser } from './model';
import { splitTokenId } from './permissions';
import type { ClusterState } from './state';
import { uriUnescape, type TicketService } from './tickets';

export type AuthInfo =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly authid: string; readonly userid: string; readonly tokenName: string }
  | { readonly kind: 'ticket'; readonly authid: string; readonly userid: string; readonly age: number };

export interface AuthInput {
  readonly method: string;
  readonly relUri: string;
  readonly cookie?: string;
  readonly authorization?: string;
  readonly csrfToken?: string;
}

export type AuthOutcome =
  | { readonly ok: true; readonly auth: AuthInfo; readonly apiTokenHeader: boolean }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly attemptedTokenId?: string };

/** PVE::APIServer::Formatter::extract_auth_value. */
export function extractAuthValue(header: string | undefined, key: string): string | undefined {
  if (header === undefined) return undefined;
  const re = new RegExp(`(?:^|\\s)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:=| )([^;]*)`);
  const value = re.exec(header)?.[1];
  return value !== undefined && value !== '' ? uriUnescape(value) : undefined;
}

/** Calls that need no authentication (auth_handler's explicit list). */
export function isUnauthenticatedCall(method: string, relUri: string): boolean {
  return (
    (relUri === '/access/domains' && method === 'GET') ||
    (relUri === '/access/ticket' && (method === 'GET' || method === 'POST')) ||
    (relUri === '/access/vncticket' && method === 'POST') ||
    (relUri === '/access/openid/login' && method === 'POST') ||
    (relUri === '/access/openid/auth-url' && method === 'POST')
  );
}

/** AccessControl::check_user_enabled; throws the (server-log only) reason. */
export function checkUserEnabled(state: ClusterState, clock: SimClock, userid: string): SimUser {
  const user = state.users.get(userid);
  if (!user?.enable) throw new Error(`user '${userid}' is disabled`);
  if (user.expire > 0 && user.expire < clock.nowSec()) throw new Error('account expired');
  return user;
}

/** AccessControl::verify_token; returns the token id or throws the (server-log only) reason. */
export function verifyToken(state: ClusterState, clock: SimClock, apiToken: string): string {
  const m = /^(.*)=(.*)$/s.exec(apiToken);
  if (m?.[1] === undefined || m[2] === undefined) throw new Error('no tokenid specified');
  const tokenid = m[1];
  const parts = splitTokenId(tokenid);
  if (!parts) throw new Error(`'${tokenid}' is not a valid token ID`);
  const user = checkUserEnabled(state, clock, parts[0]);
  const token = user.tokens.get(parts[1]);
  if (!token) throw new Error(`no such token '${parts[1]}' for user '${parts[0]}'`);
  if (token.expire > 0 && token.expire < clock.nowSec()) throw new Error(`token '${parts[1]}' access expired`);
  if (token.secret !== m[2]) throw new Error('invalid token value!');
  return tokenid;
}

export function authenticate(state: ClusterState, clock: SimClock, tickets: TicketService, input: AuthInput): AuthOutcome {
  const ticket = extractAuthValue(input.cookie, 'PVEAuthCookie') ?? extractAuthValue(input.authorization, 'PVEAuthCookie');
  const apiToken = ticket === undefined ? extractAuthValue(input.authorization, 'PVEAPIToken') : undefined;
  const apiTokenHeader = apiToken !== undefined;
  if (isUnauthenticatedCall(input.method, input.relUri)) return { ok: true, auth: { kind: 'none' }, apiTokenHeader };

  if (apiToken !== undefined) {
    // Only a well-formed id is remembered, so a mangled header cannot smuggle the secret into logs.
    const candidate = /^(.*)=/s.exec(apiToken)?.[1];
    const attempted = candidate !== undefined && splitTokenId(candidate) ? candidate : undefined;
    try {
      const tokenid = verifyToken(state, clock, apiToken);
      const parts = splitTokenId(tokenid) ?? [tokenid, ''];
      return { ok: true, auth: { kind: 'token', authid: tokenid, userid: parts[0], tokenName: parts[1] }, apiTokenHeader };
    } catch {
      return { ok: false, status: 401, message: 'Authentication failed!\n', attemptedTokenId: attempted };
    }
  }
  if (ticket === undefined) return { ok: false, status: 401, message: 'No ticket\n' };
  const verified = tickets.verify(ticket);
  let userid: string | undefined;
  try {
    // A TFA half ticket ("!tfa!...") carries no user name: check_user_enabled fails on it.
    if (!verified || verified.data.startsWith('!tfa!')) throw new Error('invalid ticket');
    userid = verified.data;
    checkUserEnabled(state, clock, userid);
  } catch {
    return { ok: false, status: 401, message: 'Authentication failed!\n' };
  }
  if (input.method !== 'GET' && !tickets.verifyCsrf(userid, input.csrfToken)) {
    return { ok: false, status: 401, message: 'Permission denied - invalid csrf token\n' };
  }
  return { ok: true, auth: { kind: 'ticket', authid: userid, userid, age: verified.age }, apiTokenHeader };
}
