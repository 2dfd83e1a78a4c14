// Snapshots (NOTES.md §10): the list with `current`, parent links on create/delete/rollback,
// snapstate and locks while tasks run, reserved names, RAM snapshots, snapshot config GET/PUT.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../sim/simulator';
import { call, getData, startTestSim, until, waitTask } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim({ taskDurations: { qmsnapshot: 500, qmrollback: 100, qmdelsnapshot: 80 } });
});
after(async () => {
  await sim.close();
});

interface SnapItem {
  name: string;
  parent?: string;
  snaptime?: number;
  vmstate?: number;
  description: string;
  snapstate?: string;
  running?: number;
  digest?: string;
}

async function list(path: string): Promise<Map<string, SnapItem>> {
  const items = await getData<SnapItem[]>(sim, `${path}/snapshot`, sim.tokens.admin);
  assert.equal(items.at(-1)?.name, 'current', 'current comes last');
  return new Map(items.map((i) => [i.name, i]));
}

async function run(method: string, path: string, form?: Record<string, string>): Promise<string> {
  const r = await call(sim, method, path, { token: sim.tokens.admin, form });
  assert.equal(r.status, 200, `${method} ${path}: ${r.status} ${r.reason}`);
  return (await waitTask(sim, r.json?.data as string, sim.tokens.admin)).exitstatus ?? '';
}

describe('snapshot list', () => {
  it('has PVE shapes: vmstate 0/1, description default, current with digest/running/parent', async () => {
    const snaps = await list('/nodes/pve1/qemu/102');
    assert.deepEqual([...snaps.keys()].sort(), ['current', 'experiment', 'install', 'post-upgrade', 'pre-upgrade']);
    const cur = snaps.get('current');
    assert.ok(cur);
    assert.equal(cur.description, 'You are here!');
    assert.equal(cur.running, 1);
    assert.match(cur.digest ?? '', /^[0-9a-f]{40}$/);
    assert.equal(cur.parent, 'post-upgrade');
    assert.equal(cur.snaptime, undefined);
    assert.equal(snaps.get('install')?.parent, undefined);
    assert.equal(snaps.get('experiment')?.parent, 'install');
    assert.equal(snaps.get('install')?.vmstate, 0);
    const lxc = await list('/nodes/pve1/lxc/101');
    assert.equal(lxc.get('pre-update')?.vmstate, undefined, 'LXC items have no vmstate');
  });
});

describe('create', () => {
  it('holds lock "snapshot" and snapstate "prepare" while running, then links parents', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/100/snapshot', { token: sim.tokens.admin, form: { snapname: 'with-ram', vmstate: '1', description: 'RAM too' } });
    const upid = r.json?.data as string;
    assert.match(upid, /:qmsnapshot:100:automation@pve!admin:$/);
    await until(async () => (await list('/nodes/pve1/qemu/100')).get('with-ram')?.snapstate === 'prepare');
    const cur = await getData<{ lock?: string }>(sim, '/nodes/pve1/qemu/100/status/current', sim.tokens.admin);
    assert.equal(cur.lock, 'snapshot');
    const res = await getData<{ id: string; lock?: string }[]>(sim, '/cluster/resources?type=vm', sim.tokens.admin);
    assert.equal(res.find((x) => x.id === 'qemu/100')?.lock, 'snapshot');
    const blocked = await call(sim, 'POST', '/nodes/pve1/qemu/100/status/reset', { token: sim.tokens.admin });
    assert.equal((await waitTask(sim, blocked.json?.data as string, sim.tokens.admin)).exitstatus, 'VM is locked (snapshot)');
    assert.equal((await waitTask(sim, upid, sim.tokens.admin)).exitstatus, 'OK');
    const snaps = await list('/nodes/pve1/qemu/100');
    assert.equal(snaps.get('with-ram')?.parent, 'updates');
    assert.equal(snaps.get('with-ram')?.vmstate, 1);
    assert.equal(snaps.get('with-ram')?.snapstate, undefined);
    assert.equal(snaps.get('current')?.parent, 'with-ram');
    const conf = await getData<Record<string, unknown>>(sim, '/nodes/pve1/qemu/100/snapshot/with-ram/config', sim.tokens.admin);
    assert.equal(conf.vmstate, 'local-lvm:vm-100-state-with-ram');
    assert.equal(conf.description, 'RAM too');
    assert.equal(conf.parent, 'updates');
    assert.equal(typeof conf.snaptime, 'number');
    const log = await getData<{ t: string }[]>(sim, `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, sim.tokens.admin);
    assert.ok(log.some((l) => l.t === "snapshotting 'drive-scsi0' (local-lvm:vm-100-disk-0)"));
    assert.equal((await getData<{ lock?: string }>(sim, '/nodes/pve1/qemu/100/status/current', sim.tokens.admin)).lock, undefined);
  });

  it('fails in the task for a used name, a template, a storage without snapshots', async () => {
    assert.equal(await run('POST', '/nodes/pve1/qemu/102/snapshot', { snapname: 'install' }), "snapshot name 'install' already used");
    assert.equal(await run('POST', '/nodes/pve2/qemu/9000/snapshot', { snapname: 'x1' }), "you can't take a snapshot if it's a template");
    assert.equal(await run('POST', '/nodes/pve1/qemu/111/snapshot', { snapname: 'x1' }), 'snapshot feature is not available');
  });

  it('refuses reserved names synchronously (QEMU current/pending, LXC current/vzdump)', async () => {
    const cases: [string, string, string][] = [
      ['/nodes/pve1/qemu/100/snapshot', 'current', "unable to use snapshot name 'current' (reserved name)"],
      ['/nodes/pve1/qemu/100/snapshot', 'PENDING', "unable to use snapshot name 'pending' (reserved name)"],
      ['/nodes/pve1/lxc/101/snapshot', 'vzdump', "unable to use snapshot name 'vzdump' (reserved name)"],
    ];
    for (const [path, name, reason] of cases) {
      const r = await call(sim, 'POST', path, { token: sim.tokens.admin, form: { snapname: name } });
      assert.equal(r.status, 500, name);
      assert.equal(r.reason, reason);
    }
    assert.equal(await run('POST', '/nodes/pve1/lxc/101/snapshot', { snapname: 'pending' }), 'OK', "LXC may use 'pending'");
  });
});

describe('delete', () => {
  it('re-links children and current to the parent', async () => {
    assert.equal(await run('DELETE', '/nodes/pve1/qemu/102/snapshot/pre-upgrade'), 'OK');
    let snaps = await list('/nodes/pve1/qemu/102');
    assert.equal(snaps.get('post-upgrade')?.parent, 'install');
    assert.equal(snaps.get('current')?.parent, 'post-upgrade');
    assert.equal(await run('DELETE', '/nodes/pve1/qemu/102/snapshot/post-upgrade'), 'OK');
    snaps = await list('/nodes/pve1/qemu/102');
    assert.equal(snaps.get('current')?.parent, 'install');
    assert.equal(await run('DELETE', '/nodes/pve1/qemu/102/snapshot/nope'), "snapshot 'nope' does not exist");
  });
});

describe('rollback', () => {
  it('a RAM snapshot leaves the VM running; current.parent moves', async () => {
    assert.equal(await run('POST', '/nodes/pve1/qemu/100/snapshot/updates/rollback'), 'OK');
    const snaps = await list('/nodes/pve1/qemu/100');
    assert.equal(snaps.get('current')?.parent, 'updates');
    assert.equal(snaps.get('current')?.running, 1);
  });

  it('a disk-only snapshot leaves the guest stopped unless start=1 (a separate start task)', async () => {
    assert.equal(await run('POST', '/nodes/pve1/lxc/101/snapshot/pre-update/rollback'), 'OK');
    assert.equal((await getData<{ status: string }>(sim, '/nodes/pve1/lxc/101/status/current', sim.tokens.admin)).status, 'stopped');
    assert.equal(await run('POST', '/nodes/pve1/lxc/101/snapshot/pre-update/rollback', { start: '1' }), 'OK');
    await until(async () => (await getData<{ status: string }>(sim, '/nodes/pve1/lxc/101/status/current', sim.tokens.admin)).status === 'running');
    const tasks = await getData<{ type: string; id: string }[]>(sim, '/nodes/pve1/tasks?vmid=101&limit=3', sim.tokens.admin);
    assert.equal(tasks[0]?.type, 'vzstart');
  });

  it('fails for a locked guest and a missing snapshot', async () => {
    sim.state.lockGuest(110, 'backup');
    assert.equal(await run('POST', '/nodes/pve1/qemu/110/snapshot/demo/rollback'), 'VM is locked (backup)');
    sim.state.unlockGuest(110);
    assert.equal(await run('POST', '/nodes/pve1/qemu/110/snapshot/nope/rollback'), "snapshot 'nope' does not exist");
  });
});

describe('snapshot config', () => {
  it('GET/PUT the description; PUT without description does nothing', async () => {
    const put = await call(sim, 'PUT', '/nodes/pve1/qemu/110/snapshot/demo/config', { token: sim.tokens.admin, form: { description: 'new note' } });
    assert.deepEqual([put.status, put.json], [200, { data: null }]);
    const conf = await getData<Record<string, unknown>>(sim, '/nodes/pve1/qemu/110/snapshot/demo/config', sim.tokens.admin);
    assert.equal(conf.description, 'new note');
    const noop = await call(sim, 'PUT', '/nodes/pve1/qemu/110/snapshot/nope/config', { token: sim.tokens.admin });
    assert.equal(noop.status, 200);
    const missing = await call(sim, 'PUT', '/nodes/pve1/qemu/110/snapshot/nope/config', { token: sim.tokens.admin, form: { description: 'x' } });
    assert.equal(missing.reason, "snapshot 'nope' does not exist");
    const gone = await call(sim, 'GET', '/nodes/pve1/qemu/110/snapshot/nope/config', { token: sim.tokens.admin });
    assert.equal(gone.reason, "snapshot 'nope' does not exist");
  });

  it('config?snapshot= returns the frozen config plus digest; not together with current', async () => {
    const conf = await getData<Record<string, unknown>>(sim, '/nodes/pve1/qemu/110/config?snapshot=demo', sim.tokens.admin);
    assert.match(String(conf.digest), /^[0-9a-f]{40}$/);
    assert.equal(conf.name, 'sandbox');
    const both = await call(sim, 'GET', '/nodes/pve1/qemu/110/config?snapshot=demo&current=1', { token: sim.tokens.admin });
    assert.deepEqual(both.json?.errors, { snapshot: "cannot use 'snapshot' parameter with 'current'", current: "cannot use 'snapshot' parameter with 'current'" });
  });
});
