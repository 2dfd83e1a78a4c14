// Second factor for ticket sign-in (proxmox-tfa as used by PVE 8/9; CONSOLE.md §1): a TOTP with
// +-1 step, replays rejected, TOTP locked after 8 failures, single-use recovery keys. The challenge
// is the JSON embedded in the half ticket.
import { Secret, TOTP } from 'otpauth';
import { die } from './errors';
import type { SimUser } from './model';

const TOTP_LIMIT = 8;

/** The TfaChallenge JSON for a user with a second factor, else undefined. */
export function tfaChallenge(user: SimUser): string | undefined {
  if (!user.totp) return undefined;
  const recovery: number[] = [];
  user.totp.recovery.forEach((key, i) => {
    if (key !== '') recovery.push(i);
  });
  return JSON.stringify(recovery.length > 0 ? { totp: true, recovery } : { totp: true });
}

/** authentication_verify2: checks a `totp:<code>` or `recovery:<key>` response. */
export function verifyTfaResponse(user: SimUser, response: string | undefined, nowMs: number): void {
  const tfa = user.totp;
  if (!tfa) throw die('no such challenge');
  const m = /^([^:]+):(.*)$/s.exec(response ?? '');
  if (!m?.[1] || m[2] === undefined) throw die('bad otp response');
  const [, kind, value] = m;
  if (kind === 'recovery') {
    const i = tfa.recovery.indexOf(value);
    if (value === '' || i < 0) throw die('failed 2nd factor');
    tfa.recovery[i] = '';
    tfa.failures = 0;
    return;
  }
  if (kind !== 'totp') throw die('failed 2nd factor');
  if (tfa.failures >= TOTP_LIMIT) throw die('failed 2nd factor: TOTP limit reached, locked');
  const totp = new TOTP({ secret: Secret.fromBase32(tfa.secret), algorithm: 'SHA1', digits: 6, period: 30 });
  const delta = totp.validate({ token: value, timestamp: nowMs, window: 1 });
  const step = Math.floor(nowMs / 30000) + (delta ?? 0);
  if (delta === null || step <= tfa.lastStep) {
    tfa.failures++;
    if (tfa.failures >= TOTP_LIMIT) throw die('failed 2nd factor: TOTP limit reached, locked');
    throw die('failed 2nd factor');
  }
  tfa.lastStep = step;
  tfa.failures = 0;
}
