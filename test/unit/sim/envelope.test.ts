// Envelopes, headers, reason phrases and parameter validation (NOTES.md §1-§3).
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../sim/simulator';
import { call, startTestSim, tokenHeader } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim();
});
after(async () => {
  await sim.close();
});

/** Sends raw bytes over TLS and returns the raw answer (for things node:https would not send). */
function raw(payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: sim.port, ca: sim.certificatePem }, () => {
      s.write(payload);
    });
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString('utf8')));
    s.on('end', () => {
      resolve(out);
    });
    s.on('close', () => {
      resolve(out);
    });
    s.on('error', reject);
  });
}

describe('envelope and headers', () => {
  it('wraps data in {data} with pveproxy headers and keep-alive', async () => {
    const r = await call(sim, 'GET', '/version', { token: sim.tokens.admin });
    assert.equal(r.status, 200);
    assert.equal(r.reason, 'OK');
    assert.deepEqual(Object.keys(r.json ?? {}), ['data']);
    assert.deepEqual(r.json?.data, { version: '9.1.4', release: '9.1', repoid: '9d436f37a0ac4172' });
    assert.equal(r.headers.server, 'pve-api-daemon/3.0');
    assert.equal(r.headers['content-type'], 'application/json;charset=UTF-8');
    assert.equal(r.headers['cache-control'], 'max-age=0');
    assert.equal(r.headers.pragma, 'no-cache');
    assert.equal(r.headers.expires, r.headers.date);
    assert.equal(r.headers.connection, 'Keep-Alive');
  });

  it('puts the error text in the reason phrase and in `message` with a trailing newline', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/lxc/101/status/start', { token: sim.tokens.admin });
    assert.equal(r.status, 500);
    assert.equal(r.reason, 'CT 101 already running');
    assert.deepEqual(r.json, { data: null, message: 'CT 101 already running\n' });
    assert.equal(r.headers.connection, 'close', 'keep-alive ends after any answer >= 400');
  });

  it('answers 501 for unknown paths, empty segments are skipped like RESTHandler does', async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/bogus', { token: sim.tokens.admin });
    assert.equal(r.status, 501);
    assert.equal(r.reason, "Method 'GET /nodes/pve1/bogus' not implemented");
    assert.equal(r.json?.message, "Method 'GET /nodes/pve1/bogus' not implemented");
    const slashes = await call(sim, 'GET', '/nodes//pve1///qemu/', { token: sim.tokens.admin });
    assert.equal(slashes.status, 200);
    const missing = await call(sim, 'GET', '/nodes/pve1//100/config', { token: sim.tokens.admin });
    assert.equal(missing.reason, "Method 'GET /nodes/pve1//100/config' not implemented");
  });

  it('LXC has no reset endpoint', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/lxc/101/status/reset', { token: sim.tokens.admin });
    assert.equal(r.status, 501);
    assert.equal(r.reason, "Method 'POST /nodes/pve1/lxc/101/status/reset' not implemented");
  });

  it('adds `total` next to `data` for task lists', async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/tasks?limit=1', { token: sim.tokens.admin });
    assert.equal(r.status, 200);
    assert.ok(r.json);
    assert.ok(typeof r.json.total === 'number' && r.json.total >= 2);
    assert.equal((r.json.data as unknown[]).length, 1);
  });

  it('gzips large bodies only when the client accepts it', async () => {
    const plain = await call(sim, 'GET', '/cluster/resources', { token: sim.tokens.admin });
    assert.equal(plain.headers['content-encoding'], undefined);
    const answer = await raw(
      `GET /api2/json/cluster/resources HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nAuthorization: ${tokenHeader(sim.tokens.admin)}\r\nConnection: close\r\n\r\n`,
    );
    assert.match(answer, /\r\nContent-Encoding: gzip\r\n/);
  });

  it('sends 401 without a body and closes', async () => {
    const answer = await raw('GET /api2/json/version HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 401 No ticket\r\n/);
    assert.doesNotMatch(answer, /Content-Length/);
    assert.match(answer, /\r\nConnection: close\r\n/);
    assert.match(answer, /\r\n\r\n$/);
  });

  it('rejects chunked request bodies and bodies on GET like pveproxy', async () => {
    const auth = tokenHeader(sim.tokens.admin);
    const chunked = await raw(
      `POST /api2/json/nodes/pve1/qemu/100/status/reset HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    );
    assert.match(chunked, /^HTTP\/1\.1 501 chunked transfer encoding not supported\r\n/);
    const getBody = await raw(`GET /api2/json/version HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Length: 3\r\n\r\nabc`);
    assert.match(getBody, /^HTTP\/1\.1 501 Unexpected content for method 'GET'\r\n/);
    const patch = await raw(`PATCH /api2/json/version HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n\r\n`);
    assert.match(patch, /^HTTP\/1\.1 501 method 'PATCH' not available\r\n/);
  });

  it('can answer like a server before PVE 8.3 (reason phrase only)', async () => {
    const old = await startTestSim({ messageInBody: false });
    try {
      const r = await call(old, 'POST', '/nodes/pve1/lxc/101/status/start', { token: old.tokens.admin });
      assert.equal(r.reason, 'CT 101 already running');
      assert.deepEqual(r.json, { data: null });
      const v = await call(old, 'POST', '/nodes/pve1/qemu/100/status/start', { token: old.tokens.admin, form: { skiplock: 'yes' } });
      assert.deepEqual(v.json, { data: null, errors: { skiplock: "type check ('boolean') failed - got 'yes'" } });
    } finally {
      await old.close();
    }
  });
});

describe('parameter validation (JSONSchema check_prop)', () => {
  const admin = (): Simulator['tokens']['admin'] => sim.tokens.admin;

  it("rejects 'true' for booleans in form bodies, accepts JSON true", async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/qemu?full=true', { token: admin() });
    assert.equal(r.status, 400);
    assert.equal(r.reason, 'Parameter verification failed.');
    assert.deepEqual(r.json, {
      data: null,
      errors: { full: "type check ('boolean') failed - got 'true'" },
      message: 'Parameter verification failed.\n',
    });
    const viaJson = await call(sim, 'POST', '/nodes/pve2/qemu/103/snapshot', { token: admin(), json: { snapname: 'viajson', vmstate: true } });
    assert.equal(viaJson.status, 200);
  });

  it('rejects unknown parameters with PVE text', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/lxc/101/status/stop', { token: admin(), form: { 'overrule-shutdownx': '1' } });
    assert.deepEqual(r.json?.errors, { 'overrule-shutdownx': 'property is not defined in schema and the schema does not allow additional properties' });
  });

  it('validates the vmid in the path (format errors keep their newline)', async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/qemu/99/status/current', { token: admin() });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json?.errors, { vmid: 'invalid format - value does not look like a valid VM ID\n' });
    const abc = await call(sim, 'GET', '/nodes/pve1/qemu/abc/config', { token: admin() });
    assert.deepEqual(abc.json?.errors, { vmid: "type check ('integer') failed - got 'abc'" });
  });

  it('applies the snapshot name rules (pve-configid, maxLength 40)', async () => {
    const cases: [string, string][] = [
      ['1st', "invalid format - invalid configuration ID '1st'\n"],
      ['a', "invalid format - invalid configuration ID 'a'\n"],
      ['has space', "invalid format - invalid configuration ID 'has space'\n"],
      ['a'.repeat(41), 'value may only be 40 characters long'],
    ];
    for (const [name, msg] of cases) {
      const r = await call(sim, 'POST', '/nodes/pve1/qemu/100/snapshot', { token: admin(), form: { snapname: name } });
      assert.equal(r.status, 400, name);
      assert.deepEqual(r.json?.errors, { snapname: msg }, name);
    }
    const ok = await call(sim, 'GET', `/nodes/pve1/qemu/100/snapshot/${'b'.repeat(40)}`, { token: admin() });
    assert.equal(ok.status, 200);
  });

  it('checks enums and minimum', async () => {
    const e = await call(sim, 'GET', '/cluster/resources?type=pool', { token: admin() });
    assert.deepEqual(e.json?.errors, { type: "value 'pool' does not have a value in the enumeration 'vm, storage, node, sdn'" });
    const m = await call(sim, 'GET', '/nodes/pve1/tasks?limit=-1', { token: admin() });
    assert.deepEqual(m.json?.errors, { limit: 'value must have a minimum value of 0' });
  });

  it('refuses conflicting duplicates of a path parameter', async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/qemu/100/config?vmid=101', { token: admin() });
    assert.deepEqual(r.json?.errors, { vmid: 'duplicate parameter (already defined in URI) with conflicting values!' });
  });

  it('keeps root-only options for root@pam', async () => {
    const r = await call(sim, 'POST', '/nodes/pve2/qemu/103/status/start', { token: admin(), form: { skiplock: '1' } });
    assert.deepEqual(r.json?.errors, { skiplock: 'Only root may use this option.' });
  });

  it('query parameters override the body', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/100/snapshot?snapname=9bad', { token: admin(), form: { snapname: 'good' } });
    assert.deepEqual(r.json?.errors, { snapname: "invalid format - invalid configuration ID '9bad'\n" });
  });

  it('reports a missing required parameter', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/100/snapshot', { token: admin() });
    assert.deepEqual(r.json?.errors, { snapname: 'property is missing and it is not optional' });
  });

  it('answers malformed JSON bodies with pveproxy text (no envelope)', async () => {
    const answer = await raw(
      `POST /api2/json/nodes/pve1/qemu/100/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: ${tokenHeader(sim.tokens.admin)}\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{oops`,
    );
    assert.match(answer, /^HTTP\/1\.1 500 malformed JSON string/);
  });
});
