// Privileges (NOTES.md §5): 403 texts, privilege separation, filtering, /access/permissions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../sim/simulator';
import { call, getData, startTestSim } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim();
});
after(async () => {
  await sim.close();
});

interface Resource {
  id: string;
  type: string;
  vmid?: number;
  pool?: string;
  uptime?: number;
}

describe('403 texts', () => {
  it('names the path and the privilege', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/100/status/stop', { token: sim.tokens.readonly });
    assert.equal(r.status, 403);
    assert.equal(r.reason, 'Permission check failed (/vms/100, VM.PowerMgmt)');
    assert.deepEqual(r.json, { data: null, message: 'Permission check failed (/vms/100, VM.PowerMgmt)\n' });
  });

  it('joins "any" checks with |', async () => {
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/100/snapshot/base/rollback', { token: sim.tokens.operator });
    assert.equal(r.reason, 'Permission check failed (/vms/100, VM.Snapshot|VM.Snapshot.Rollback)');
  });

  it('checks permissions before validation and before looking at the guest', async () => {
    const missing = await call(sim, 'POST', '/nodes/pve1/qemu/777/snapshot', { token: sim.tokens.operator, form: { snapname: '1bad' } });
    assert.equal(missing.reason, 'Permission check failed (/vms/777, VM.Snapshot)');
  });

  it('needs Sys.Audit for node status and cluster status', async () => {
    const r = await call(sim, 'GET', '/cluster/status', { token: sim.tokens.pool });
    assert.equal(r.reason, 'Permission check failed (/, Sys.Audit)');
    const n = await call(sim, 'GET', '/nodes/pve2/status', { token: sim.tokens.pool });
    assert.equal(n.reason, 'Permission check failed (/nodes/pve2, Sys.Audit)');
  });
});

describe('privilege separation', () => {
  it('operator token: power management but no snapshots', async () => {
    const stop = await call(sim, 'POST', '/nodes/pve3/lxc/109/status/shutdown', { token: sim.tokens.operator });
    assert.equal(stop.status, 200);
    const snap = await call(sim, 'POST', '/nodes/pve1/qemu/100/snapshot', { token: sim.tokens.operator, form: { snapname: 'nope' } });
    assert.equal(snap.reason, 'Permission check failed (/vms/100, VM.Snapshot)');
  });

  it('a token never exceeds its user: intersection of both ACLs', async () => {
    // snapper@pve has PVEVMAdmin on /, its token only SnapshotOperator on /vms.
    const stop = await call(sim, 'POST', '/nodes/pve1/qemu/100/status/stop', { token: sim.tokens.snapshot });
    assert.equal(stop.reason, 'Permission check failed (/vms/100, VM.PowerMgmt)');
    const perms = await getData<Record<string, Record<string, number>>>(sim, '/access/permissions?path=/vms/100', sim.tokens.snapshot);
    assert.deepEqual(Object.keys(perms['/vms/100'] ?? {}).sort(), ['VM.Audit', 'VM.Snapshot', 'VM.Snapshot.Rollback']);
  });

  it('a token without privilege separation has its user privileges', async () => {
    const perms = await getData<Record<string, Record<string, number>>>(sim, '/access/permissions?path=/', sim.tokens.noPrivsep);
    assert.equal(perms['/']?.['Sys.Modify'], 1);
  });
});

describe('filtering by privilege', () => {
  it('pool-scoped token sees only its pool guests, nodes without stats', async () => {
    const res = await getData<Resource[]>(sim, '/cluster/resources', sim.tokens.pool);
    const vmids = res.filter((r) => r.type === 'qemu' || r.type === 'lxc').map((r) => r.vmid);
    assert.deepEqual(vmids, [103, 104, 110]);
    const nodes = res.filter((r) => r.type === 'node');
    assert.equal(nodes.length, 3);
    for (const n of nodes) assert.equal(n.uptime, undefined, 'no stats without Sys.Audit');
    assert.equal(res.filter((r) => r.type === 'storage').length, 0, 'storages need Datastore.Audit');
    assert.deepEqual(res.filter((r) => r.type === 'pool').map((r) => r.id), [], 'pools need Pool.Audit');
    const list = await getData<{ vmid: number }[]>(sim, '/nodes/pve2/qemu', sim.tokens.pool);
    assert.deepEqual(list.map((g) => g.vmid).sort(), [103, 104]);
  });

  it('auditor sees everything, pools first, guests sorted as strings', async () => {
    const res = await getData<Resource[]>(sim, '/cluster/resources', sim.tokens.readonly);
    const types = res.map((r) => r.type);
    assert.deepEqual([...new Set(types)], ['pool', 'qemu', 'lxc', 'node', 'storage', 'network'].filter((t) => types.includes(t)));
    const guestIds = res.filter((r) => r.vmid !== undefined).map((r) => String(r.vmid));
    assert.deepEqual(guestIds, [...guestIds].sort());
    assert.equal(guestIds.length, 14);
  });
});

describe('/access/permissions', () => {
  it('returns path -> privilege -> 0/1 for the caller', async () => {
    const perms = await getData<Record<string, Record<string, number>>>(sim, '/access/permissions', sim.tokens.readonly);
    const root = perms['/'];
    assert.ok(root);
    assert.equal(root['VM.Audit'], 1);
    assert.equal(root['VM.PowerMgmt'], undefined);
    assert.equal(perms['/vms']?.['Sys.Audit'], 1);
  });

  it('needs Sys.Audit on /access for other users, not for own tokens', async () => {
    const other = await call(sim, 'GET', '/access/permissions?userid=root@pam', { token: sim.tokens.snapshot });
    assert.equal(other.reason, 'Permission check failed (/access, Sys.Audit)');
  });
});
