import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PveClient } from '../../../src/api/client';
import { PveError } from '../../../src/api/errors';
import { PveshTransport } from '../../../src/api/pveshTransport';
import { waitForTask } from '../../../src/api/taskWaiter';
import type { Simulator } from '../../sim/simulator';
import { startTestSim } from '../sim/helpers';

/** The local-CLI transport, driven through the stand-in pvesh that forwards to the simulator. */
describe('pvesh transport', () => {
  let sim: Simulator;
  let dir: string;
  let client: PveClient;
  before(async () => {
    sim = await startTestSim({ taskDurationMs: 30 });
    dir = mkdtempSync(join(tmpdir(), 'pvesh-unit-'));
    writeFileSync(join(dir, 'ca.pem'), sim.certificatePem);
    const env = { ...process.env, PVESH_SIM_URL: sim.url, PVESH_SIM_TOKEN: `${sim.tokens.admin.tokenId}=${sim.tokens.admin.secret}`, PVESH_SIM_CA: join(dir, 'ca.pem') };
    client = new PveClient(new PveshTransport({ command: join(__dirname, '../../../../test/fixtures/pvesh/pvesh'), env }));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  });

  it('reads like the HTTPS client: same data, bare JSON, no envelope', async () => {
    const resources = await client.resources();
    assert.equal(resources.guests.length, sim.state.guests.size);
    const config = await client.guestConfig({ node: 'pve2', type: 'lxc', vmid: 107 });
    assert.equal(typeof config.hostname, 'string');
  });

  it('passes parameters as --name value, booleans as 1/0, paths with UPIDs decoded', async () => {
    sim.state.setGuestStatus(102, 'running');
    const upid = await client.createSnapshot({ node: 'pve1', type: 'qemu', vmid: 102 }, { name: 'cli-snap', vmstate: true });
    const post = sim.requests.filter((r) => r.method === 'POST').at(-1);
    assert.deepEqual(post?.params, { snapname: 'cli-snap', vmstate: '1' });
    const outcome = await waitForTask(client, upid);
    assert.equal(outcome.exitStatus, 'OK');
    const log = await client.taskLog(upid);
    assert.equal(log.lines.at(-1)?.t, 'TASK OK');
    assert.equal(log.total, undefined, 'pvesh prints no total');
  });

  it('maps pvesh errors like HTTP ones: 500 texts, 400 with parameter errors', async () => {
    await assert.rejects(client.guestConfig({ node: 'pve1', type: 'qemu', vmid: 999 }), (e) => PveError.is(e, 'notFound') && /does not exist/.test(e.message));
    sim.state.setGuestStatus(101, 'running');
    await assert.rejects(client.guestAction({ node: 'pve1', type: 'lxc', vmid: 101 }, 'start'), (e) => PveError.is(e, 'conflict') && e.message === 'CT 101 already running');
    const transport = new PveshTransport({ command: join(__dirname, '../../../../test/fixtures/pvesh/pvesh'), env: { ...process.env, PVESH_SIM_URL: sim.url, PVESH_SIM_TOKEN: `${sim.tokens.admin.tokenId}=${sim.tokens.admin.secret}`, PVESH_SIM_CA: join(dir, 'ca.pem') } });
    await assert.rejects(transport.request({ method: 'POST', path: '/nodes/pve1/qemu/102/status/start', params: { bogus: 1 } }), (e) => PveError.is(e, 'badRequest') && /not defined in schema/.test(e.errors?.bogus ?? ''));
  });

  it('a missing pvesh is a clear error, and arguments never go through a shell', async () => {
    const missing = new PveClient(new PveshTransport({ command: join(dir, 'no-such-pvesh') }));
    await assert.rejects(missing.version(), (e) => PveError.is(e, 'network') && /not installed/.test(e.message));
    // A node name with shell syntax is refused by the path rules before anything runs.
    await assert.rejects(client.nodeStatus('pve1;touch x'), (e) => PveError.is(e, 'invalidInput'));
  });
});
