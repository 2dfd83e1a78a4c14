// Ticket sign-in against the simulator: password, the two-step TOTP flow (wrong, reused, recovery),
// renewal before the 2 h end, CSRF on writes only, a lapsed ticket never sent, 401 → sign in again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOTP, Secret } from 'otpauth';
import { HttpTransport } from '../../../src/api/httpTransport';
import { PveError } from '../../../src/api/errors';
import {
  SignInRequiredError,
  TicketAuthenticator,
  TicketTransport,
  answerTfa,
  anonymousAuthenticator,
  listRealms,
  parseStoredTicket,
  parseTfaChallenge,
  renewTicket,
  requestTicket,
  serializeTicket,
  type TicketInfo,
} from '../../../src/api/ticketAuth';
import { DEMO_TOTP_SECRET } from '../../sim/demoCluster';
import type { Simulator } from '../../sim/simulator';
import { startTestSim } from '../sim/helpers';

let sim: Simulator;
let anon: HttpTransport;
before(async () => {
  sim = await startTestSim();
  anon = new HttpTransport({ baseUrl: sim.url, trust: { mode: 'fingerprint', fingerprint: sim.fingerprint }, auth: anonymousAuthenticator });
});
after(async () => {
  await anon.close();
  await sim.close();
});

const totp = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET), algorithm: 'SHA1', digits: 6, period: 30 });
const codeAt = (offsetSteps = 0): string => totp.generate({ timestamp: sim.clock.nowMs() + offsetSteps * 30_000 });

function ticketClient(info: TicketInfo, now?: () => number): { transport: TicketTransport; auth: TicketAuthenticator; renewed: TicketInfo[]; lapsed: number[] } {
  const renewed: TicketInfo[] = [];
  const lapsed: number[] = [];
  const auth = new TicketAuthenticator(info, {
    renew: (current, signal) => renewTicket(anon, current, signal, now),
    onRenewed: (next) => renewed.push(next),
    onLapsed: () => lapsed.push(1),
    ...(now ? { now } : {}),
  });
  const inner = new HttpTransport({ baseUrl: sim.url, trust: { mode: 'fingerprint', fingerprint: sim.fingerprint }, auth });
  return { transport: new TicketTransport(inner, auth), auth, renewed, lapsed };
}

describe('ticket sign-in', () => {
  it('password only (root@pam): a ticket, a CSRF token, the canonical user name', async () => {
    const step = await requestTicket(anon, 'root@pam', 'pve-sim-root');
    assert.equal(step.kind, 'signedIn');
    assert.match(step.info.ticket, /^PVE:root@pam:[0-9A-F]{8}::/);
    assert.match(step.info.csrf, /^[0-9A-F]{8}:/);
    assert.equal(step.info.username, 'root@pam');
    const sent = sim.requests.at(-1);
    assert.ok(sent);
    assert.equal(sent.params['new-format'], '1');
    assert.equal(sent.params.password, '***', 'the simulator log masks the password');
  });

  it('a wrong password is a uniform 401', async () => {
    await assert.rejects(requestTicket(anon, 'root@pam', 'nope'), (e: unknown) => PveError.is(e, 'unauthorized') && e.message === 'authentication failure');
  });

  it('TOTP: half ticket with the challenge, then totp:<code>; wrong and reused codes refused; a recovery key works once', async () => {
    const first = await requestTicket(anon, 'alice@pve', 'alice-sim-password');
    assert.equal(first.kind, 'secondFactor');
    assert.deepEqual(first.pending.challenge, { totp: true, recovery: [0, 1], yubico: false, webauthn: false, u2f: false });
    assert.match(first.pending.halfTicket, /^PVE:!tfa!/);
    await assert.rejects(answerTfa(anon, first.pending, { kind: 'totp', code: '000000' }), (e: unknown) => PveError.is(e, 'unauthorized'));
    const code = codeAt();
    const info = await answerTfa(anon, first.pending, { kind: 'totp', code });
    assert.match(info.ticket, /^PVE:alice@pve:/);
    // The same half ticket (stateless) with the same code: a replay.
    await assert.rejects(answerTfa(anon, first.pending, { kind: 'totp', code }), (e: unknown) => PveError.is(e, 'unauthorized'));
    const again = await requestTicket(anon, 'alice@pve', 'alice-sim-password');
    assert.equal(again.kind, 'secondFactor');
    await answerTfa(anon, again.pending, { kind: 'recovery', key: '9c0d-1e2f-3a4b-5c6d' });
    await assert.rejects(answerTfa(anon, again.pending, { kind: 'recovery', key: '9c0d-1e2f-3a4b-5c6d' }), (e: unknown) => PveError.is(e, 'unauthorized'));
    const third = await requestTicket(anon, 'alice@pve', 'alice-sim-password');
    assert.ok(third.kind === 'secondFactor' && third.pending.challenge.recovery.length === 1, 'a used recovery key is no longer offered');
    assert.ok(sim.requests.every((r) => r.params.otp === undefined), 'the one-step otp parameter is never used');
  });

  it('parses the challenge the way the GUI does', () => {
    assert.deepEqual(parseTfaChallenge('PVE:!tfa!{"totp"%3Atrue,"recovery"%3A[0,1,2,5]}:6A0D7B5F::sig'), { totp: true, recovery: [0, 1, 2, 5], yubico: false, webauthn: false, u2f: false });
    assert.deepEqual(parseTfaChallenge('PVE:!tfa!{"webauthn"%3A{"publicKey"%3A{}}}:6A0D7B5F::sig'), { totp: false, recovery: [], yubico: false, webauthn: true, u2f: false });
    assert.equal(parseTfaChallenge('PVE:root@pam:6A0D7B5F::sig'), undefined);
  });

  it('stored form round-trips and rejects anything else', () => {
    const info = { username: 'a@pve', ticket: 'PVE:a@pve:00000000::x', csrf: '00000000:y', issuedAt: 5 };
    assert.deepEqual(parseStoredTicket(serializeTicket(info)), info);
    assert.equal(parseStoredTicket('PVE:a@pve:00000000::x'), undefined);
    assert.equal(parseStoredTicket(undefined), undefined);
  });

  it('GET /access/domains lists the realms without credentials', async () => {
    assert.deepEqual((await listRealms(anon)).map((r) => `${r.realm}${r.isDefault ? '*' : ''}`), ['pam', 'pve*']);
  });
});

describe('TicketAuthenticator', () => {
  async function signedIn(): Promise<TicketInfo> {
    const step = await requestTicket(anon, 'root@pam', 'pve-sim-root');
    assert.equal(step.kind, 'signedIn');
    return (step as { info: TicketInfo }).info;
  }

  it('cookie on every request, CSRF only on writes', async () => {
    const { transport } = ticketClient(await signedIn());
    sim.requests.length = 0;
    await transport.request({ method: 'GET', path: '/version' });
    await transport.request({ method: 'PUT', path: '/nodes/pve1/qemu/100/snapshot/base/config', params: { description: 'fresh install' } });
    assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.credentials} csrf=${r.csrf} ${r.status}`), ['GET ticket csrf=false 200', 'PUT ticket csrf=true 200']);
    await transport.close();
  });

  it('renews after 30 minutes (once for concurrent requests) and keeps working', async () => {
    const info = await signedIn();
    let now = Date.now();
    const client = ticketClient(info, () => now);
    now += 31 * 60_000;
    sim.requests.length = 0;
    await Promise.all([client.transport.request({ method: 'GET', path: '/version' }), client.transport.request({ method: 'GET', path: '/nodes' })]);
    assert.equal(client.renewed.length, 1);
    assert.equal(client.auth.current.issuedAt, now, 'the renewed ticket is younger');
    const renewal = sim.requests.filter((r) => r.apiPath === '/access/ticket');
    assert.equal(renewal.length, 1);
    assert.equal(renewal[0]!.params.password, '***');
    assert.equal(renewal[0]!.credentials, 'none', 'the renewal itself sends no cookie');
    await client.transport.close();
  });

  it('a ticket close to its 2 h end is never sent; the error asks to sign in again', async () => {
    const info = await signedIn();
    const client = ticketClient({ ...info, issuedAt: Date.now() - 7_200_000 + 60_000 });
    sim.requests.length = 0;
    await assert.rejects(client.transport.request({ method: 'GET', path: '/version' }), (e: unknown) => SignInRequiredError.isSignIn(e) && e.why === 'lapsed' && PveError.is(e, 'unauthorized'));
    assert.equal(sim.requests.length, 0);
    assert.equal(client.lapsed.length, 1);
    await client.transport.close();
  });

  it('a ticket the server no longer accepts (its clock says 2 h passed): one 401, then nothing is sent', async () => {
    const client = ticketClient(await signedIn());
    sim.clock.advance(7_201_000);
    try {
      sim.requests.length = 0;
      await assert.rejects(client.transport.request({ method: 'GET', path: '/version' }), (e: unknown) => SignInRequiredError.isSignIn(e) && e.why === 'rejected');
      await assert.rejects(client.transport.request({ method: 'GET', path: '/version' }), (e: unknown) => SignInRequiredError.isSignIn(e));
      assert.equal(sim.requests.length, 1);
    } finally {
      sim.clock.advance(-7_201_000);
    }
    await client.transport.close();
  });
});

describe('redaction of sign-in and terminal secrets', () => {
  it('tickets, VNC tickets (with a VNC password prefix) and vncticket= are masked even when not registered', async () => {
    const { Redactor } = await import('../../../src/api/redact');
    const r = new Redactor();
    const text = r.redact('a PVE:alice@pve:6A0D7B5F::Zm9v+/= b PVEVNC:6A0D7B5F::c2ln+/== c a1b2c3d4:PVEVNC:6A0D7B5F::c2ln d /vncwebsocket?port=5900&vncticket=PVEVNC%3A6A0D7B5F%3A%3Ac2ln e');
    assert.ok(!/Zm9v|c2ln|a1b2c3d4/.test(text), text);
    assert.match(text, /vncticket=«redacted» e$/);
  });

  it('a registered ticket and CSRF token are masked raw and URL-encoded', async () => {
    const { Redactor } = await import('../../../src/api/redact');
    const r = new Redactor();
    const info: TicketInfo = { username: 'a@pve', ticket: 'PVE:a@pve:6A0D7B5F::c2lnbmF0dXJl+/=', csrf: '6A0D7B5F:Y3NyZnNpZw', issuedAt: 0 };
    const { ticketSecrets } = await import('../../../src/api/ticketAuth');
    for (const s of ticketSecrets(info)) r.addSecret(s);
    const out = r.redact(`cookie ${encodeURIComponent(info.ticket)} csrf ${info.csrf}`);
    assert.ok(!out.includes('c2lnbmF0dXJl') && !out.includes('Y3NyZnNpZw'), out);
  });
});
