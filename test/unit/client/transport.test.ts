import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PveError } from '../../../src/api/errors';
import { probeCertificate } from '../../../src/api/probe';
import type { Simulator } from '../../sim/simulator';
import { startTestSim } from '../sim/helpers';
import { clientFor } from './clientHarness';

describe('HTTPS transport against the simulator', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.requests.length = 0;
  });

  it('sends the token header, under /api2/json, and unwraps data', async () => {
    const h = clientFor(sim);
    try {
      const version = await h.client.version();
      assert.match(version.version, /^9\./);
      assert.equal(sim.requests[0]?.path, '/api2/json/version');
      assert.deepEqual(sim.requests[0].auth, { kind: 'token', tokenId: sim.tokens.admin.tokenId });
    } finally {
      await h.close();
    }
  });

  it('reuses a small keep-alive pool for reads, and a fresh connection for every write', async () => {
    const h = clientFor(sim);
    try {
      for (let i = 0; i < 10; i++) {
        await h.client.version();
        await new Promise((r) => setTimeout(r, i % 3));
      }
      const reads = new Set(sim.requests.map((r) => r.connection));
      assert.ok(reads.size <= 2, `10 reads used ${reads.size} connections`);
      await h.client.guestAction({ node: 'pve2', type: 'qemu', vmid: 103 }, 'start');
      await h.client.version();
      const write = sim.requests.find((r) => r.method === 'POST');
      assert.ok(write);
      assert.ok(!reads.has(write.connection), 'the write used its own connection');
    } finally {
      await h.close();
    }
  });

  it('form-encodes writes with 0/1 booleans (PVE refuses "true")', async () => {
    const h = clientFor(sim);
    try {
      sim.state.setGuestStatus(102, 'running');
      const upid = await h.client.createSnapshot({ node: 'pve1', type: 'qemu', vmid: 102 }, { name: 'bool-test', vmstate: true });
      assert.match(upid, /^UPID:pve1:/);
      const post = sim.requests.find((r) => r.method === 'POST');
      assert.deepEqual(post?.params, { snapname: 'bool-test', vmstate: '1' });
    } finally {
      await h.close();
    }
  });

  it('a 400 keeps PVE\'s per-parameter errors', async () => {
    const h = clientFor(sim);
    try {
      // Bypass our own validation to see the server's answer for an unknown parameter.
      await assert.rejects(h.transport.request({ method: 'POST', path: '/nodes/pve1/qemu/102/status/start', params: { bogus: 1 } }), (e) => {
        assert.ok(PveError.is(e, 'badRequest'));
        assert.equal(e.status, 400);
        assert.match(e.errors?.bogus ?? '', /not defined in schema/);
        return true;
      });
    } finally {
      await h.close();
    }
  });

  it('uses the body message (PVE ≥ 8.3) or else the reason phrase (older servers)', async () => {
    const h = clientFor(sim);
    try {
      const expectConflict = async (): Promise<void> => {
        await assert.rejects(h.client.guestAction({ node: 'pve1', type: 'lxc', vmid: 101 }, 'start'), (e) => PveError.is(e, 'conflict') && e.message === 'CT 101 already running');
      };
      sim.state.setGuestStatus(101, 'running');
      await expectConflict();
      sim.options.messageInBody = false;
      await expectConflict();
    } finally {
      sim.options.messageInBody = true;
      await h.close();
    }
  });

  it('401 for a bad token: unauthorized, no retry', async () => {
    const h = clientFor(sim, { token: { tokenId: sim.tokens.admin.tokenId, secret: '00000000-0000-0000-0000-000000000000', privsep: true } });
    try {
      await assert.rejects(h.client.version(), (e) => PveError.is(e, 'unauthorized') && e.status === 401);
      assert.equal(sim.requests.length, 1);
    } finally {
      await h.close();
    }
  });

  it('403 names the path and privilege', async () => {
    const h = clientFor(sim, { token: sim.tokens.readonly });
    try {
      await assert.rejects(h.client.guestAction({ node: 'pve1', type: 'qemu', vmid: 100 }, 'stop'), (e) => {
        assert.ok(PveError.is(e, 'forbidden'));
        assert.deepEqual(e.permission, { path: '/vms/100', privileges: ['VM.PowerMgmt'] });
        return true;
      });
    } finally {
      await h.close();
    }
  });

  it('a reset during a GET is retried exactly once (scenario 10)', async () => {
    const h = clientFor(sim);
    try {
      sim.faults.add({ method: 'GET', path: '/cluster/resources', times: 1, action: { kind: 'resetBefore' } });
      const resources = await h.client.resources();
      assert.ok(resources.guests.length > 0);
      assert.equal(sim.requests.filter((r) => r.apiPath === '/cluster/resources').length, 2);
      assert.deepEqual(h.events.map((e) => e.attempt), [1, 2]);
    } finally {
      await h.close();
    }
  });

  it('two resets in a row: the GET fails after one retry, not more', async () => {
    const h = clientFor(sim);
    try {
      sim.faults.add({ method: 'GET', path: '/cluster/resources', times: 2, action: { kind: 'resetBefore' } });
      await assert.rejects(h.client.resources(), (e) => PveError.is(e, 'network'));
      assert.equal(sim.requests.filter((r) => r.apiPath === '/cluster/resources').length, 2);
    } finally {
      await h.close();
    }
  });

  it('a reset after a stop was applied: not resent, outcome unknown (scenario 11)', async () => {
    const h = clientFor(sim);
    try {
      sim.state.setGuestStatus(102, 'running');
      sim.faults.add({ method: 'POST', path: /\/status\/stop$/, times: 1, action: { kind: 'resetAfter' } });
      await assert.rejects(h.client.guestAction({ node: 'pve1', type: 'qemu', vmid: 102 }, 'stop'), (e) => PveError.is(e, 'network') && e.requestMayHaveBeenApplied);
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1, 'the stop was sent once');
    } finally {
      await h.close();
    }
  });

  it('502-504 are retried once for GET, never for POST', async () => {
    const h = clientFor(sim);
    try {
      sim.faults.add({ method: 'GET', path: '/version', times: 1, action: { kind: 'status', status: 503, reason: 'Service Unavailable' } });
      await h.client.version();
      assert.equal(sim.requests.filter((r) => r.apiPath === '/version').length, 2);
      sim.faults.add({ method: 'POST', times: 1, action: { kind: 'status', status: 502, reason: 'Bad Gateway' } });
      await assert.rejects(h.client.guestAction({ node: 'pve2', type: 'qemu', vmid: 103 }, 'start'), (e) => PveError.is(e, 'serverError') && e.status === 502);
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1);
    } finally {
      await h.close();
    }
  });

  it('a 500 "VM is locked" is shown, not retried (scenario 13)', async () => {
    const h = clientFor(sim);
    try {
      sim.state.setGuestStatus(110, 'stopped');
      sim.state.lockGuest(110, 'backup');
      const upid = await h.client.guestAction({ node: 'pve1', type: 'qemu', vmid: 110 }, 'start');
      const status = await sim.tasks.wait(upid);
      assert.match(String(status.exitstatus), /VM is locked \(backup\)/);
      assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1);
    } finally {
      sim.state.unlockGuest(110);
      await h.close();
    }
  });

  it('an HTML page, malformed JSON and a 50 MB body: clear errors, bounded memory (scenario 18)', async () => {
    const h = clientFor(sim, { transport: { maxResponseBytes: 4 * 1024 * 1024 } });
    try {
      sim.faults.add({ method: 'GET', path: '/version', times: 1, action: { kind: 'html' } });
      await assert.rejects(h.client.version(), (e) => PveError.is(e, 'invalidResponse') && /HTML page/.test(e.message));
      sim.faults.add({ method: 'GET', path: '/version', times: 1, action: { kind: 'malformedJson' } });
      await assert.rejects(h.client.version(), (e) => PveError.is(e, 'invalidResponse') && /malformed JSON/.test(e.message));
      const heapBefore = process.memoryUsage().heapUsed;
      sim.faults.add({ method: 'GET', path: '/cluster/resources', times: 1, action: { kind: 'oversized', bytes: 50 * 1024 * 1024, declareLength: false } });
      await assert.rejects(h.client.resources(), (e) => PveError.is(e, 'invalidResponse') && /larger than/.test(e.message));
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 30 * 1024 * 1024, 'the body was not buffered whole');
    } finally {
      await h.close();
    }
  });

  it('a server that never answers times out; abort cancels at once', async () => {
    const h = clientFor(sim, { transport: { headersTimeoutMs: 300 } });
    try {
      sim.faults.add({ method: 'GET', path: '/version', times: 1, action: { kind: 'hang' } });
      await assert.rejects(h.client.version(), (e) => PveError.is(e, 'timeout'));
      sim.faults.add({ method: 'GET', path: '/nodes', times: 1, action: { kind: 'hang' } });
      const controller = new AbortController();
      setTimeout(() => { controller.abort(); }, 50);
      const started = Date.now();
      await assert.rejects(h.client.nodes(controller.signal), (e) => PveError.is(e, 'cancelled'));
      // "At once" next to the 300 ms header timeout and the 30 s default; slack for a loaded CI machine.
      assert.ok(Date.now() - started < 1000, `cancelled after ${Date.now() - started} ms`);
    } finally {
      await h.close();
    }
  });

  it('an idle socket closed by the server: the next request succeeds (scenario 12)', async () => {
    const h = clientFor(sim);
    try {
      await h.client.version();
      sim.closeIdleConnections();
      await new Promise((r) => setTimeout(r, 50));
      await h.client.version();
      const upid = await h.client.guestAction({ node: 'pve2', type: 'qemu', vmid: 103 }, 'start');
      assert.match(upid, /^UPID:/);
    } finally {
      await h.close();
    }
  });
});

describe('TLS trust', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(async () => {
    await sim.close();
  });

  it('the probe reads the fingerprint without any HTTP request (scenario 1)', async () => {
    sim.requests.length = 0;
    const probe = await probeCertificate(new URL(sim.url));
    assert.equal(probe.fingerprint, sim.fingerprint);
    assert.equal(probe.trustedBySystem, false);
    assert.equal(sim.requests.length, 0);
  });

  it('system trust refuses the self-signed certificate before sending the token', async () => {
    sim.requests.length = 0;
    const h = clientFor(sim, { trust: { mode: 'system' } });
    try {
      await assert.rejects(h.client.version(), (e) => PveError.is(e, 'tls') && e.tls?.kind === 'untrusted');
      assert.equal(sim.requests.length, 0);
    } finally {
      await h.close();
    }
  });

  it('a wrong pin is a hard failure naming both fingerprints, nothing sent (scenario 2)', async () => {
    sim.requests.length = 0;
    const wrong = Array(32).fill('AB').join(':');
    const h = clientFor(sim, { trust: { mode: 'fingerprint', fingerprint: wrong } });
    try {
      await assert.rejects(h.client.version(), (e) => PveError.is(e, 'tls') && e.tls?.expected === wrong && e.tls.actual === sim.fingerprint);
      assert.equal(sim.requests.length, 0);
    } finally {
      await h.close();
    }
  });

  it('rotation: old pooled sockets keep working until closed; new sockets are checked (scenario 3)', async () => {
    const h = clientFor(sim);
    try {
      await h.client.version();
      const old = sim.fingerprint;
      await sim.rotateCertificate();
      assert.notEqual(sim.fingerprint, old);
      sim.dropConnections();
      await assert.rejects(h.client.version(), (e) => PveError.is(e, 'tls') && e.tls?.kind === 'fingerprintMismatch');
      await h.close();
      const fresh = clientFor(sim);
      await fresh.client.version();
      await fresh.close();
    } finally {
      await h.close();
    }
  });
});

describe('TLS with a cluster CA', () => {
  it('trusts a CA-signed leaf; a hostname mismatch is a clear error (scenario 6)', async () => {
    const good = await startTestSim({ certificate: { mode: 'ca' } });
    const bad = await startTestSim({ certificate: { mode: 'ca', altNames: ['DNS:pve-elsewhere.example'] } });
    try {
      const h = clientFor(good, { trust: { mode: 'ca', caPem: good.caPem! } });
      await h.client.version();
      await h.close();
      const m = clientFor(bad, { trust: { mode: 'ca', caPem: bad.caPem! } });
      await assert.rejects(m.client.version(), (e) => PveError.is(e, 'tls') && e.tls?.kind === 'hostnameMismatch');
      await m.close();
    } finally {
      await good.close();
      await bad.close();
    }
  });
});

describe('many short connections are each pinned (scenario 4)', () => {
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`${version}: every fresh connection checks the pin; none reaches a server with another certificate`, async () => {
      const sim = await startTestSim({ tls: { minVersion: version, maxVersion: version } });
      const h = clientFor(sim);
      try {
        // Writes always use a fresh connection: 15 handshakes, all pinned.
        for (let i = 0; i < 15; i++) {
          sim.state.setGuestStatus(103, 'stopped');
          await h.client.guestAction({ node: 'pve2', type: 'qemu', vmid: 103 }, 'start');
        }
        const posts = sim.requests.filter((r) => r.method === 'POST');
        assert.equal(new Set(posts.map((r) => r.connection)).size, 15);
        assert.ok(posts.every((r) => r.tlsProtocol === version), `negotiated ${posts.map((r) => r.tlsProtocol).join(',')}`);
        await sim.rotateCertificate();
        const before = sim.requests.length;
        for (let i = 0; i < 5; i++) {
          await assert.rejects(h.client.guestAction({ node: 'pve2', type: 'qemu', vmid: 103 }, 'stop'), (e) => PveError.is(e, 'tls') && e.tls?.kind === 'fingerprintMismatch');
        }
        assert.equal(sim.requests.length, before, 'a request reached the server after the certificate changed');
      } finally {
        await h.close();
        await sim.close();
      }
    });
  }
});
