// PVE tickets and CSRF tokens (pve-common PVE::Ticket, pve-access-control AccessControl.pm;
// NOTES.md §4, CONSOLE.md §1): `PVE:<data>:<8 hex time>::<base64 RSA-SHA1 signature>`, data with
// ':' escaped as %3A, valid for -300 s < age < 7200 s; CSRF `<8 hex time>:<unpadded base64
// HMAC-SHA256 of "time:userid">`. Uses node:crypto; the key pair is made per simulator start.
import { createHmac, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { SimClock } from './clock';

export const TICKET_LIFETIME_SEC = 7200;
export const AUTH_GRACE_SEC = 300;
/** Short-lived (VNC/termproxy) tickets: -20 s < age < 40 s. */
export const VNC_MIN_AGE_SEC = 20;
export const VNC_MAX_AGE_SEC = 40;

/** AccessControl normalize_path: collapse repeated slashes, drop a trailing one. */
function normalizePath(path: string): string {
  const p = `/${path}`.replace(/\/+/g, '/');
  return p.length > 1 ? p.replace(/\/$/, '') : p;
}

/** Perl URI::Escape uri_unescape: %XX only, invalid sequences kept. */
export function uriUnescape(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function hexTime(sec: number): string {
  return sec.toString(16).toUpperCase().padStart(8, '0');
}

export interface VerifiedTicket {
  readonly data: string;
  readonly age: number;
}

export class TicketService {
  private keys: { priv: KeyObject; pub: KeyObject } | undefined;
  private readonly csrfSecret = randomBytes(32).toString('base64');

  constructor(private readonly clock: SimClock) {}

  private keyPair(): { priv: KeyObject; pub: KeyObject } {
    if (!this.keys) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.keys = { priv: privateKey, pub: publicKey };
    }
    return this.keys;
  }

  /** PVE::Ticket::assemble_rsa_ticket with prefix 'PVE'; `aad` is signed but not part of the ticket. */
  assemble(data: string, aad?: string): string {
    const plain = `PVE:${data.replace(/:/g, '%3A')}:${hexTime(this.clock.nowSec())}`;
    const full = aad === undefined ? plain : `${plain}:${aad}`;
    const sign = createSign('sha1');
    sign.update(full);
    return `${plain}::${sign.sign(this.keyPair().priv, 'base64')}`;
  }

  /** PVE::Ticket::verify_rsa_ticket; undefined when invalid or outside the age window. */
  verify(ticket: string, aad?: string): VerifiedTicket | undefined {
    const m = /^(PVE:\S+)::([^:\s]+)$/.exec(ticket);
    if (!m?.[1] || m[2] === undefined) return undefined;
    const plain = m[1];
    const full = aad === undefined ? plain : `${plain}:${aad}`;
    const verify = createVerify('sha1');
    verify.update(full);
    let ok: boolean;
    try {
      ok = verify.verify(this.keyPair().pub, Buffer.from(m[2], 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) return undefined;
    const p = /^PVE:(?:(\S+):)?([A-Z0-9]{8})$/.exec(plain);
    if (!p?.[2]) return undefined;
    const age = this.clock.nowSec() - Number.parseInt(p[2], 16);
    if (!(age > -AUTH_GRACE_SEC && age < TICKET_LIFETIME_SEC)) return undefined;
    return { data: uriUnescape(p[1] ?? ''), age };
  }

  /**
   * AccessControl assemble_vnc_ticket: `PVEVNC:<hex time>::<sig>`; user, ACL path and (since the
   * April 2026 packages) the port are signed, not shown.
   */
  assembleVnc(authid: string, path: string, port: number): string {
    const plain = `PVEVNC:${hexTime(this.clock.nowSec())}`;
    const sign = createSign('sha1');
    sign.update(`${plain}:${authid}:${normalizePath(path)}:${port}`);
    return `${plain}::${sign.sign(this.keyPair().priv, 'base64')}`;
  }

  /** verify_vnc_ticket: the same user, path and port, and -20 s < age < 40 s. */
  verifyVnc(ticket: string, authid: string, path: string, port: number): boolean {
    // An optional 8-character VNC password prefix (vncproxy) is dropped first.
    const bare = /^.{8}:(PVEVNC:.*)$/s.exec(ticket)?.[1] ?? ticket;
    const m = /^(PVEVNC:\S+)::([^:\s]+)$/.exec(bare);
    if (!m?.[1] || m[2] === undefined) return false;
    const verify = createVerify('sha1');
    verify.update(`${m[1]}:${authid}:${normalizePath(path)}:${port}`);
    let ok: boolean;
    try {
      ok = verify.verify(this.keyPair().pub, Buffer.from(m[2], 'base64'));
    } catch {
      ok = false;
    }
    const p = /^PVEVNC:([A-Z0-9]{8})$/.exec(m[1]);
    if (!ok || !p?.[1]) return false;
    const age = this.clock.nowSec() - Number.parseInt(p[1], 16);
    return age > -VNC_MIN_AGE_SEC && age < VNC_MAX_AGE_SEC;
  }

  private csrfDigest(stamp: string, userid: string): string {
    return createHmac('sha256', this.csrfSecret).update(`${stamp}:${userid}`).digest('base64').replace(/=+$/, '');
  }

  assembleCsrf(userid: string): string {
    const stamp = hexTime(this.clock.nowSec());
    return `${stamp}:${this.csrfDigest(stamp, userid)}`;
  }

  verifyCsrf(userid: string, token: string | undefined): boolean {
    if (token === undefined) return false;
    const m = /^([A-Z0-9]{8}):(\S+)$/.exec(token);
    if (!m?.[1] || m[2] === undefined) return false;
    const age = this.clock.nowSec() - Number.parseInt(m[1], 16);
    return this.csrfDigest(m[1], userid) === m[2] && age > -AUTH_GRACE_SEC && age < TICKET_LIFETIME_SEC;
  }
}
