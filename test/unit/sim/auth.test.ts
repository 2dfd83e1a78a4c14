// Authentication (NOTES.md §4, CONSOLE.md §1): API tokens, 401 texts and delay, tickets with CSRF,
// the two-step TOTP sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { DEMO_PASSWORDS, DEMO_TOTP_SECRET } from '../../sim/demoCluster';
import type { Simulator } from '../../sim/simulator';
import { call, startTestSim } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim();
});
after(async () => {
  await sim.close();
});

describe('API tokens', () => {
  it('accepts PVEAPIToken=USER@REALM!NAME=SECRET, also with a space and URI-escaped', async () => {
    const t = sim.tokens.readonly;
    for (const header of [`PVEAPIToken=${t.tokenId}=${t.secret}`, `PVEAPIToken ${t.tokenId}=${t.secret}`, `PVEAPIToken=${t.tokenId.replace('!', '%21')}=${t.secret}`]) {
      const r = await call(sim, 'GET', '/version', { authorization: header });
      assert.equal(r.status, 200, header);
    }
  });

  it('answers 401 "No ticket" without credentials and "Authentication failed!" for bad tokens', async () => {
    const none = await call(sim, 'GET', '/nodes');
    assert.equal(none.status, 401);
    assert.equal(none.reason, 'No ticket');
    assert.equal(none.text, '');
    const t = sim.tokens.admin;
    const bad = [
      `PVEAPIToken=${t.tokenId}=00000000-0000-0000-0000-000000000000`,
      `PVEAPIToken=nobody@pve!tok=${t.secret}`,
      `PVEAPIToken=${t.tokenId}`,
      `PVEAPIToken=${sim.tokens.expired.tokenId}=${sim.tokens.expired.secret}`,
      `PVEAPIToken=${sim.tokens.disabledUser.tokenId}=${sim.tokens.disabledUser.secret}`,
      // Split at the last '=': a secret can never contain '='.
      `PVEAPIToken=${t.tokenId}=${t.secret}=`,
    ];
    for (const header of bad) {
      const r = await call(sim, 'GET', '/version', { authorization: header });
      assert.equal(r.status, 401, header);
      assert.equal(r.reason, 'Authentication failed!', header);
      assert.equal(r.text, '');
    }
    const rec = sim.requests.at(-1);
    assert.equal(rec?.auth.kind, 'failed');
    assert.equal(rec.credentials, 'token');
    assert.ok(!JSON.stringify(sim.requests).includes(t.secret), 'the request log never holds a secret');
  });

  it('holds 401 answers back by unauthorizedDelayMs', async () => {
    const slow = await startTestSim({ unauthorizedDelayMs: 300 });
    try {
      const t0 = Date.now();
      const r = await call(slow, 'GET', '/version', { authorization: 'PVEAPIToken=x@pve!y=z' });
      assert.equal(r.status, 401);
      assert.ok(Date.now() - t0 >= 280, `answered after ${Date.now() - t0} ms`);
      const t1 = Date.now();
      await call(slow, 'GET', '/version', { token: slow.tokens.admin });
      assert.ok(Date.now() - t1 < 250);
    } finally {
      await slow.close();
    }
  });

  it('a revoked token stops working at once', async () => {
    const other = await startTestSim();
    try {
      assert.equal((await call(other, 'GET', '/version', { token: other.tokens.pool })).status, 200);
      other.state.revokeToken(other.tokens.pool.tokenId);
      assert.equal((await call(other, 'GET', '/version', { token: other.tokens.pool })).status, 401);
    } finally {
      await other.close();
    }
  });

  it('refuses tokens where allowtoken is 0', async () => {
    const r = await call(sim, 'POST', '/access/ticket', { token: sim.tokens.admin, form: { username: 'root@pam', password: 'x' } });
    assert.equal(r.status, 403);
    assert.equal(r.reason, "Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.)");
  });
});

describe('tickets', () => {
  async function login(form: Record<string, string>): Promise<{ ticket: string; CSRFPreventionToken: string; username: string; NeedTFA?: number; cap?: unknown; clustername?: string }> {
    const r = await call(sim, 'POST', '/access/ticket', { form });
    assert.equal(r.status, 200, r.reason);
    return r.json?.data as { ticket: string; CSRFPreventionToken: string; username: string };
  }

  it('signs in with a password and uses the cookie; writes need the CSRF token', async () => {
    const d = await login({ username: 'root', realm: 'pam', password: DEMO_PASSWORDS['root@pam'] ?? '' });
    assert.equal(d.username, 'root@pam');
    assert.match(d.ticket, /^PVE:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/=]+$/);
    assert.match(d.CSRFPreventionToken, /^[0-9A-F]{8}:[A-Za-z0-9+/]{43}$/);
    assert.ok(d.cap && typeof d.cap === 'object');
    assert.equal(d.clustername, 'homelab');
    const cookie = `PVEAuthCookie=${encodeURIComponent(d.ticket)}`;
    assert.equal((await call(sim, 'GET', '/nodes', { headers: { Cookie: cookie } })).status, 200);
    assert.equal((await call(sim, 'GET', '/nodes', { authorization: `PVEAuthCookie=${d.ticket}` })).status, 200);
    const put = '/nodes/pve1/qemu/100/snapshot/base/config';
    const noCsrf = await call(sim, 'PUT', put, { headers: { Cookie: cookie }, form: { description: 'x' } });
    assert.equal(noCsrf.status, 401);
    assert.equal(noCsrf.reason, 'Permission denied - invalid csrf token');
    const ok = await call(sim, 'PUT', put, { headers: { Cookie: cookie, CSRFPreventionToken: d.CSRFPreventionToken }, form: { description: 'x' } });
    assert.equal(ok.status, 200);
    // Renewal: the current ticket as password.
    const renewed = await login({ username: 'root@pam', password: d.ticket });
    assert.match(renewed.ticket, /^PVE:root@pam:/);
  });

  it('answers every failed sign-in with the same 401', async () => {
    for (const form of [
      { username: 'root@pam', password: 'wrong' },
      { username: 'nobody@pve', password: 'x' },
      { username: 'root@nosuchrealm', password: 'x' },
    ]) {
      const r = await call(sim, 'POST', '/access/ticket', { form });
      assert.equal(r.status, 401);
      assert.equal(r.reason, 'authentication failure');
      assert.deepEqual(r.json, { data: null, message: 'authentication failure\n' });
    }
  });

  it('expires tickets after 2 hours', async () => {
    const other = await startTestSim();
    try {
      const { ticket } = other.issueTicket('root@pam');
      const cookie = { Cookie: `PVEAuthCookie=${ticket}` };
      assert.equal((await call(other, 'GET', '/version', { headers: cookie })).status, 200);
      other.clock.advance(7201 * 1000);
      const r = await call(other, 'GET', '/version', { headers: cookie });
      assert.equal(r.status, 401);
      assert.equal(r.reason, 'Authentication failed!');
    } finally {
      await other.close();
    }
  });

  it('asks for the second factor and completes with totp:, refusing replays; recovery keys are single-use', async () => {
    const first = await login({ username: 'alice@pve', password: DEMO_PASSWORDS['alice@pve'] ?? '' });
    assert.equal(first.NeedTFA, 1);
    assert.equal(first.cap, undefined);
    assert.match(first.ticket, /^PVE:!tfa!\{"totp"%3Atrue,"recovery"%3A\[0,1\]\}:[0-9A-F]{8}::/);
    const challenge = JSON.parse(decodeURIComponent((first.ticket.split(':')[1] ?? '').slice(5))) as unknown;
    assert.deepEqual(challenge, { totp: true, recovery: [0, 1] });
    const half = await call(sim, 'GET', '/version', { headers: { Cookie: `PVEAuthCookie=${first.ticket}` } });
    assert.equal(half.status, 401, 'a half ticket is no login');
    const code = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
    const second = await login({ username: 'alice@pve', 'tfa-challenge': first.ticket, password: `totp:${code}` });
    assert.equal(second.NeedTFA, undefined);
    assert.match(second.ticket, /^PVE:alice@pve:/);
    const replay = await call(sim, 'POST', '/access/ticket', { form: { username: 'alice@pve', 'tfa-challenge': first.ticket, password: `totp:${code}` } });
    assert.equal(replay.status, 401);
    const rec = await login({ username: 'alice@pve', 'tfa-challenge': first.ticket, password: 'recovery:1a2b-3c4d-5e6f-7a8b' });
    assert.match(rec.ticket, /^PVE:alice@pve:/);
    const again = await call(sim, 'POST', '/access/ticket', { form: { username: 'alice@pve', 'tfa-challenge': first.ticket, password: 'recovery:1a2b-3c4d-5e6f-7a8b' } });
    assert.equal(again.status, 401);
    assert.ok(!JSON.stringify(sim.requests).includes(DEMO_PASSWORDS['alice@pve'] ?? '?'), 'passwords are masked in the request log');
  });
});
