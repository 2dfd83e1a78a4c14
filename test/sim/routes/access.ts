// /access/ticket (ticket sign-in with an optional TOTP second step, CONSOLE.md §1) and
// /access/permissions (pve-access-control API2/AccessControl.pm; NOTES.md §4, §5).
import { checkUserEnabled } from '../auth';
import { die, PveError } from '../errors';
import { computeApiPermission, splitTokenId } from '../permissions';
import { tfaChallenge, verifyTfaResponse } from '../tfa';
import { splitList, strParam } from '../validate';
import type { RouteEntry, RouteRequest } from './types';

const REALMS = new Set(['pam', 'pve']);

/** AccessControl::authenticate_user (+ authenticate_2nd_new); returns the pending TFA challenge. */
function authenticateUser(req: RouteRequest, username: string, password: string, otp: string | undefined, challenge: string | undefined): string | undefined {
  const m = /^([^\s:/]+)@([A-Za-z][A-Za-z0-9.\-_]+)$/.exec(username);
  if (!m?.[2]) throw die('value does not look like a valid user name');
  const user = checkUserEnabled(req.ctx.state, req.ctx.clock, username);
  if (!REALMS.has(m[2])) throw die(`auth domain '${m[2]}' does not exist`);
  const now = req.ctx.clock.nowMs();
  if (challenge !== undefined) {
    const verified = req.tickets.verify(challenge, username);
    if (!verified) throw die('permission denied - invalid PVE ticket');
    if (!verified.data.startsWith('!tfa!')) throw die('bad ticket');
    verifyTfaResponse(user, password, now);
    return undefined;
  }
  if (user.password === undefined || user.password !== password) throw die('invalid credentials');
  const pending = tfaChallenge(user);
  if (otp !== undefined) {
    if (!/^[^:]+:/.test(otp)) throw die('bad otp response');
    if (pending === undefined) throw die('no such challenge');
    verifyTfaResponse(user, otp, now);
  }
  return pending;
}

async function createTicket(req: RouteRequest): Promise<unknown> {
  let username = strParam(req.params, 'username') ?? '';
  const realm = strParam(req.params, 'realm');
  if (realm !== undefined && realm !== '') username = `${username}@${realm}`;
  const password = strParam(req.params, 'password') ?? '';
  const otp = strParam(req.params, 'otp');
  const challenge = strParam(req.params, 'tfa-challenge');
  const { ctx, rpc } = req;
  let res: Record<string, unknown>;
  try {
    checkUserEnabled(ctx.state, ctx.clock, username);
    const path = strParam(req.params, 'path');
    const privs = strParam(req.params, 'privs');
    if (path !== undefined && privs !== undefined) {
      // verify_auth: password or ticket, then the privilege check; no new ticket.
      const ticket = req.tickets.verify(password);
      if (ticket?.data !== username) authenticateUser(req, username, password, otp, undefined);
      rpc.check(username, path, splitList(privs));
      res = { username };
    } else {
      if (otp !== undefined && challenge !== undefined) {
        throw die("TFA response should be in 'password', not 'otp' when 'tfa-challenge' is set");
      }
      let pending: string | undefined;
      const renewal = challenge === undefined ? req.tickets.verify(password) : undefined;
      // A valid ticket renews itself (root@pam may renew for anyone).
      if (!(renewal && (renewal.data === 'root@pam' || renewal.data === username))) {
        pending = authenticateUser(req, username, password, otp, challenge);
      }
      res = pending !== undefined
        ? { ticket: req.tickets.assemble(`!tfa!${pending}`, username), username, CSRFPreventionToken: req.tickets.assembleCsrf(username), NeedTFA: 1 }
        : { ticket: req.tickets.assemble(username), username, CSRFPreventionToken: req.tickets.assembleCsrf(username) };
    }
  } catch {
    // Uniform answer so that user names cannot be probed (the real reason goes to syslog).
    throw new PveError(401, 'authentication failure\n');
  }
  if (res.NeedTFA === undefined) res.cap = computeApiPermission(rpc, ctx.state, username);
  if (ctx.state.clustered && rpc.check(username, '/', ['Sys.Audit'], true)) res.clustername = ctx.state.clusterName;
  return Promise.resolve(res);
}

function permissions(req: RouteRequest): unknown {
  const { rpc, authid } = req;
  const userid = strParam(req.params, 'userid') ?? authid;
  const owner = splitTokenId(userid)?.[0];
  if (!(userid === authid || owner === authid)) rpc.check(authid, '/access', ['Sys.Audit']);
  const path = strParam(req.params, 'path');
  if (path !== undefined && path !== '') return { [path]: Object.fromEntries(rpc.permissions(userid, path)) };
  return rpc.effectivePermissions(userid);
}

export const accessRoutes: readonly RouteEntry[] = [
  ['GET', '/access/ticket', () => null],
  ['POST', '/access/ticket', createTicket],
  ['GET', '/access/permissions', permissions],
];
