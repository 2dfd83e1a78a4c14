// Fault injection, keep-alive behaviour and certificates (SECURITY.md scenarios 2-4, 6, 8-12, 18).
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect, TLSSocket, type PeerCertificate } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../sim/simulator';
import { agentFor, call, getData, sleep, startTestSim, tokenHeader, until } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim();
});
after(async () => {
  await sim.close();
});

function errorCode(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (err: unknown) => (err as { code?: string }).code ?? (err as Error).message,
  );
}

describe('fault injection', () => {
  it('adds latency', async () => {
    const h = sim.faults.add({ method: 'GET', path: '/version', action: { kind: 'latency', ms: 150 } });
    const t0 = Date.now();
    await call(sim, 'GET', '/version', { token: sim.tokens.admin });
    assert.ok(Date.now() - t0 >= 140);
    assert.equal(h.hits, 1);
    h.remove();
  });

  it('resets before applying the request: nothing happens', async () => {
    const h = sim.faults.add({ method: 'POST', path: /\/status\/stop$/, action: { kind: 'resetBefore' } });
    assert.equal(await errorCode(call(sim, 'POST', '/nodes/pve1/qemu/102/status/stop', { token: sim.tokens.admin })), 'ECONNRESET');
    h.remove();
    await sleep(100);
    assert.equal(sim.state.guest(102)?.running, true);
    assert.equal(sim.requests.at(-1)?.fault, 'resetBefore');
  });

  it('resets after applying the request: the stop happens anyway', async () => {
    const h = sim.faults.add({ method: 'POST', path: '/nodes/pve1/qemu/102/status/stop', times: 1, action: { kind: 'resetAfter' } });
    assert.equal(await errorCode(call(sim, 'POST', '/nodes/pve1/qemu/102/status/stop', { token: sim.tokens.admin })), 'ECONNRESET');
    await until(() => sim.state.guest(102)?.running === false);
    assert.equal(h.hits, 1);
  });

  it('never answers (hang)', async () => {
    const h = sim.faults.add({ path: '/cluster/resources', action: { kind: 'hang' } });
    const outcome = await new Promise<string>((resolve) => {
      const req = request(new URL('/api2/json/cluster/resources', sim.url), { agent: agentFor(sim), headers: { Authorization: tokenHeader(sim.tokens.admin) }, timeout: 200 });
      req.on('timeout', () => {
        req.destroy();
        resolve('timeout');
      });
      req.on('response', () => {
        resolve('answered');
      });
      req.on('error', () => undefined);
      req.end();
    });
    assert.equal(outcome, 'timeout');
    h.remove();
  });

  it('answers 5xx, malformed JSON, HTML, only for the Nth request', async () => {
    sim.faults.add({ path: '/version', nth: 2, action: { kind: 'status', status: 502, reason: 'Bad Gateway' } });
    assert.equal((await call(sim, 'GET', '/version', { token: sim.tokens.admin })).status, 200);
    const bad = await call(sim, 'GET', '/version', { token: sim.tokens.admin });
    assert.deepEqual([bad.status, bad.reason], [502, 'Bad Gateway']);
    assert.equal((await call(sim, 'GET', '/version', { token: sim.tokens.admin })).status, 200);
    const m = sim.faults.add({ path: '/nodes', times: 1, action: { kind: 'malformedJson' } });
    const mal = await call(sim, 'GET', '/nodes', { token: sim.tokens.admin });
    assert.equal(mal.status, 200);
    assert.equal(mal.json, undefined);
    assert.throws(() => JSON.parse(mal.text) as unknown);
    assert.equal(m.hits, 1);
    sim.faults.add({ path: '/nodes', times: 1, action: { kind: 'html' } });
    const html = await call(sim, 'GET', '/nodes', { token: sim.tokens.admin });
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.text, /<html>/);
  });

  it('streams an oversized body the client can abort', async () => {
    sim.faults.add({ path: '/cluster/resources', times: 1, action: { kind: 'oversized', bytes: 8 * 1024 * 1024 } });
    const received = await new Promise<{ length: string | undefined; bytes: number }>((resolve, reject) => {
      const req = request(new URL('/api2/json/cluster/resources', sim.url), { agent: agentFor(sim), headers: { Authorization: tokenHeader(sim.tokens.admin) } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes > 1024 * 1024) {
            req.destroy();
            resolve({ length: res.headers['content-length'], bytes });
          }
        });
      });
      req.on('error', (e) => {
        if ((e as { code?: string }).code !== 'ECONNRESET') reject(e);
      });
      req.end();
    });
    assert.equal(received.length, String(8 * 1024 * 1024));
    sim.faults.add({ path: '/cluster/resources', times: 1, action: { kind: 'oversized', bytes: 300000 } });
    const small = await call(sim, 'GET', '/cluster/resources', { token: sim.tokens.admin });
    assert.equal(small.text.length, 300000);
    assert.ok(Array.isArray((JSON.parse(small.text) as { data: unknown }).data));
  });

  it('random faults are reproducible from the seed', async () => {
    const pattern = async (): Promise<string> => {
      const other = await startTestSim();
      try {
        other.faults.random({ seed: 99, probability: 0.5, path: '/version', actions: [{ kind: 'status', status: 503, reason: 'Service Unavailable' }] });
        const codes: number[] = [];
        for (let i = 0; i < 12; i++) codes.push((await call(other, 'GET', '/version', { token: other.tokens.admin })).status);
        return codes.join(',');
      } finally {
        await other.close();
      }
    };
    const a = await pattern();
    assert.equal(a, await pattern());
    assert.match(a, /200/);
    assert.match(a, /503/);
  });
});

describe('keep-alive', () => {
  it('closes the socket right after an answer with closeAfterResponse', async () => {
    const agent = agentFor(sim, true);
    sim.faults.add({ path: '/version', times: 1, action: { kind: 'closeAfterResponse' } });
    const r = await call(sim, 'GET', '/version', { token: sim.tokens.admin, agent });
    assert.equal(r.headers.connection, 'Keep-Alive');
    await until(() => sim.openConnections() === 0);
    assert.equal((await call(sim, 'GET', '/version', { token: sim.tokens.admin, agent })).status, 200);
    agent.destroy();
  });

  it('closes idle sockets on request and after the idle timeout', async () => {
    const agent = agentFor(sim, true);
    await call(sim, 'GET', '/version', { token: sim.tokens.admin, agent });
    await until(() => sim.openConnections() === 1);
    assert.equal(sim.closeIdleConnections(), 1);
    await until(() => sim.openConnections() === 0);
    agent.destroy();
    const quick = await startTestSim({ idleTimeoutMs: 100 });
    try {
      const a2 = agentFor(quick, true);
      await call(quick, 'GET', '/version', { token: quick.tokens.admin, agent: a2 });
      assert.equal(quick.openConnections(), 1);
      await sleep(250);
      assert.equal(quick.openConnections(), 0);
      a2.destroy();
    } finally {
      await quick.close();
    }
  });
});

function peer(target: Simulator, opts: { maxVersion?: 'TLSv1.2' | 'TLSv1.3'; ca?: string; servername?: string } = {}): Promise<{ fp: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: target.port, rejectUnauthorized: false, maxVersion: opts.maxVersion }, () => {
      const cert: PeerCertificate = s.getPeerCertificate();
      resolve({ fp: cert.fingerprint256, protocol: s.getProtocol() });
      s.end();
    });
    s.on('error', reject);
  });
}

describe('TLS', () => {
  it('serves TLS 1.2 and 1.3 with the announced fingerprint', async () => {
    const v13 = await peer(sim);
    assert.equal(v13.protocol, 'TLSv1.3');
    assert.equal(v13.fp, sim.fingerprint);
    assert.match(sim.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const v12 = await peer(sim, { maxVersion: 'TLSv1.2' });
    assert.equal(v12.protocol, 'TLSv1.2');
    const nodes = await getData<{ node: string; ssl_fingerprint: string }[]>(sim, '/nodes', sim.tokens.admin);
    assert.equal(nodes.find((n) => n.node === 'pve1')?.ssl_fingerprint, sim.fingerprint);
  });

  it('rotates the certificate: new connections see the new one, open ones keep the old', async () => {
    const agent = agentFor(sim, true, { rejectUnauthorized: false, ca: undefined });
    const fpOf = async (): Promise<string> =>
      new Promise((resolve, reject) => {
        const req = request(new URL('/api2/json/version', sim.url), { agent, headers: { Authorization: tokenHeader(sim.tokens.admin) } }, (res) => {
          const sock = res.socket;
          if (!(sock instanceof TLSSocket)) throw new Error('not a TLS socket');
          const fp = sock.getPeerCertificate().fingerprint256;
          res.resume();
          res.on('end', () => {
            resolve(fp);
          });
        });
        req.on('error', reject);
        req.end();
      });
    const before = sim.fingerprint;
    assert.equal(await fpOf(), before);
    const rotated = await sim.rotateCertificate();
    assert.notEqual(rotated.fingerprint, before);
    assert.equal(sim.fingerprint, rotated.fingerprint);
    assert.equal(await fpOf(), before, 'the pooled socket keeps its session');
    assert.equal((await peer(sim)).fp, rotated.fingerprint);
    const nodes = await getData<{ node: string; ssl_fingerprint: string }[]>(sim, '/nodes', sim.tokens.admin);
    assert.equal(nodes.find((n) => n.node === 'pve1')?.ssl_fingerprint, rotated.fingerprint);
    agent.destroy();
  });

  it('CA mode: a leaf whose names do not match fails hostname verification', async () => {
    const ca = await startTestSim({ certificate: { mode: 'ca', altNames: ['DNS:pve1.example.invalid'] } });
    try {
      assert.ok(ca.caPem?.includes('BEGIN CERTIFICATE'));
      const code = await errorCode(call(ca, 'GET', '/version', { token: ca.tokens.admin }));
      assert.equal(code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      const good = await startTestSim({ certificate: { mode: 'ca' } });
      try {
        assert.equal((await call(good, 'GET', '/version', { token: good.tokens.admin })).status, 200);
      } finally {
        await good.close();
      }
    } finally {
      await ca.close();
    }
  });
});
