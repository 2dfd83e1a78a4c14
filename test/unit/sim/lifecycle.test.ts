// Guest power actions: the QEMU/LXC differences of NOTES.md §9 as a table (sync HTTP 500 vs.
// task failure, exact texts), UPIDs and task status, locks and flock serialization, task stop.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../sim/simulator';
import { call, getData, startTestSim, waitTask, type TaskStatus } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim({ secondMs: 2 });
});
after(async () => {
  await sim.close();
});

const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

interface Row {
  readonly name: string;
  readonly path: string;
  readonly form?: Record<string, string>;
  readonly prepare?: (s: Simulator) => void;
  /** Expected synchronous failure: [status, reason]. */
  readonly sync?: readonly [number, string];
  /** Expected task exit status. */
  readonly task?: string;
}

// NOTES.md §9: "sync" = HTTP 500 before any task; "task" = UPID returned, the task ends so.
const TABLE: readonly Row[] = [
  { name: 'start running QEMU', path: '/nodes/pve1/qemu/102/status/start', task: 'VM 102 already running' },
  { name: 'start running LXC', path: '/nodes/pve1/lxc/101/status/start', sync: [500, 'CT 101 already running'] },
  { name: 'start QEMU template', path: '/nodes/pve2/qemu/9000/status/start', task: "you can't start a vm if it's a template" },
  { name: 'start LXC template', path: '/nodes/pve1/lxc/9001/status/start', task: "you can't start a CT if it's a template" },
  { name: 'start locked QEMU', path: '/nodes/pve1/qemu/111/status/start', prepare: (s) => {
      s.state.lockGuest(111, 'backup');
    }, task: 'VM is locked (backup)' },
  {
    name: 'start locked LXC',
    path: '/nodes/pve2/lxc/107/status/start',
    prepare: (s) => {
      s.state.setHa(107, undefined);
      s.state.lockGuest(107, 'snapshot');
    },
    task: 'CT is locked (snapshot)',
  },
  { name: 'stop stopped QEMU', path: '/nodes/pve2/qemu/103/status/stop', task: 'OK' },
  { name: 'stop stopped LXC', path: '/nodes/pve2/lxc/107/status/stop', sync: [500, 'CT 107 not running'] },
  { name: 'shutdown stopped QEMU', path: '/nodes/pve2/qemu/103/status/shutdown', task: 'OK' },
  { name: 'shutdown stopped LXC', path: '/nodes/pve2/lxc/107/status/shutdown', sync: [500, 'CT 107 not running'] },
  { name: 'shutdown paused QEMU', path: '/nodes/pve2/qemu/104/status/shutdown', sync: [500, 'VM is paused - cannot shutdown'] },
  { name: 'reboot stopped QEMU', path: '/nodes/pve2/qemu/103/status/reboot', sync: [500, 'VM 103 not running'] },
  { name: 'reboot stopped LXC (sic: "VM")', path: '/nodes/pve2/lxc/107/status/reboot', sync: [500, 'VM 107 not running'] },
  { name: 'reboot paused QEMU', path: '/nodes/pve2/qemu/104/status/reboot', sync: [500, 'VM is paused - cannot shutdown'] },
  { name: 'reset stopped QEMU', path: '/nodes/pve2/qemu/103/status/reset', sync: [500, 'VM 103 not running'] },
  { name: 'reset LXC does not exist', path: '/nodes/pve2/lxc/107/status/reset', sync: [501, "Method 'POST /nodes/pve2/lxc/107/status/reset' not implemented"] },
  { name: 'suspend stopped QEMU', path: '/nodes/pve2/qemu/103/status/suspend', sync: [500, 'VM 103 not running'] },
  { name: 'suspend stopped LXC', path: '/nodes/pve2/lxc/107/status/suspend', sync: [500, 'CT 107 not running'] },
  { name: 'suspend HA QEMU to disk', path: '/nodes/pve1/qemu/100/status/suspend', form: { todisk: '1' }, sync: [500, 'Cannot suspend HA managed VM to disk'] },
  { name: 'resume stopped QEMU', path: '/nodes/pve2/qemu/103/status/resume', sync: [500, 'VM 103 not running'] },
  { name: 'resume running QEMU is a no-op', path: '/nodes/pve1/qemu/102/status/resume', task: 'OK' },
  { name: 'resume running LXC', path: '/nodes/pve1/lxc/101/status/resume', sync: [500, 'CT 101 already running'] },
  { name: 'resume never-suspended LXC', path: '/nodes/pve2/lxc/107/status/resume', task: "command 'lxc-checkpoint -n 107 -r --foreground -D /var/lib/vz/dump' failed: exit code 1" },
  { name: 'stop locked running LXC', path: '/nodes/pve2/lxc/106/status/stop', task: 'CT is locked (backup)' },
  { name: 'stop locked running QEMU', path: '/nodes/pve1/qemu/102/status/stop', prepare: (s) => {
      s.state.lockGuest(102, 'migrate');
    }, task: 'VM is locked (migrate)' },
  { name: 'pause QEMU with a backup lock is allowed', path: '/nodes/pve1/qemu/102/status/suspend', prepare: (s) => {
      s.state.lockGuest(102, 'backup');
    }, task: 'OK' },
  {
    name: 'QEMU shutdown ignored by the guest',
    path: '/nodes/pve1/qemu/102/status/shutdown',
    form: { timeout: '5' },
    prepare: (s) => {
      s.state.unlockGuest(102);
      s.state.setGuestStatus(102, 'running');
      s.state.setGuestBehaviour(102, { ignoresShutdown: true });
    },
    task: 'VM quit/powerdown failed - got timeout',
  },
  {
    name: 'LXC shutdown ignored by the container',
    path: '/nodes/pve3/lxc/109/status/shutdown',
    form: { timeout: '5' },
    prepare: (s) => {
      s.state.setGuestBehaviour(109, { ignoresShutdown: true });
    },
    task: 'container did not stop',
  },
  { name: 'QEMU shutdown with forceStop', path: '/nodes/pve1/qemu/102/status/shutdown', form: { timeout: '5', forceStop: '1' }, task: 'OK' },
  { name: 'config of a guest on another node', path: '/nodes/pve2/qemu/100/config', sync: [500, "Configuration file 'nodes/pve2/qemu-server/100.conf' does not exist"] },
  { name: 'reset on the wrong node', path: '/nodes/pve2/qemu/100/status/reset', sync: [500, "unable to find configuration file for VM 100 on node 'pve2'"] },
  { name: 'start on the wrong node fails in the task', path: '/nodes/pve2/qemu/102/status/start', task: "Configuration file 'nodes/pve2/qemu-server/102.conf' does not exist" },
  { name: 'stop on the wrong node fails in the task', path: '/nodes/pve2/qemu/102/status/stop', task: "unable to find configuration file for VM 102 on node 'pve2'" },
];

describe('QEMU vs LXC lifecycle rules (NOTES.md §9)', () => {
  for (const row of TABLE) {
    it(row.name, async () => {
      row.prepare?.(sim);
      const method = row.path.endsWith('/config') ? 'GET' : 'POST';
      const r = await call(sim, method, row.path, { token: sim.tokens.admin, form: row.form });
      if (row.sync) {
        assert.equal(r.status, row.sync[0]);
        assert.equal(r.reason, row.sync[1]);
        return;
      }
      assert.equal(r.status, 200, `${r.status} ${r.reason}`);
      const upid = r.json?.data as string;
      assert.match(upid, UPID_RE);
      const st = await waitTask(sim, upid, sim.tokens.admin);
      assert.equal(st.exitstatus, row.task);
    });
  }
});

describe('tasks of a power action', () => {
  it('start: UPID -> running -> stopped/OK, token owner and token name in the status', async () => {
    sim.tasks.override({ type: 'qmstart', id: '103', durationMs: 600 });
    const r = await call(sim, 'POST', '/nodes/pve2/qemu/103/status/start', { token: sim.tokens.admin });
    const upid = r.json?.data as string;
    const m = UPID_RE.exec(upid);
    assert.ok(m);
    assert.equal(m[1], 'pve2');
    assert.equal(m[6], 'qmstart');
    assert.equal(m[7], '103');
    assert.equal(m[8], 'automation@pve!admin');
    const running = await getData<TaskStatus>(sim, `/nodes/pve2/tasks/${encodeURIComponent(upid)}/status`, sim.tokens.admin);
    assert.equal(running.status, 'running');
    assert.equal(running.exitstatus, undefined);
    assert.equal(running.user, 'automation@pve');
    assert.equal(running.tokenid, 'admin');
    assert.equal(running.pid, Number.parseInt(m[3] ?? '', 16));
    assert.equal(running.starttime, Number.parseInt(m[5] ?? '', 16));
    const done = await waitTask(sim, upid, sim.tokens.admin);
    assert.equal(done.exitstatus, 'OK');
    assert.equal((done as unknown as Record<string, unknown>).endtime, undefined, 'task status has no endtime');
    const cur = await getData<{ status: string; qmpstatus: string; pid: number }>(sim, '/nodes/pve2/qemu/103/status/current', sim.tokens.admin);
    assert.equal(cur.status, 'running');
    assert.equal(cur.qmpstatus, 'running');
    assert.ok(cur.pid > 0);
  });

  it('a second start waits for the config lock, then fails', async () => {
    sim.state.setGuestStatus(111, 'stopped');
    sim.state.unlockGuest(111);
    const a = await call(sim, 'POST', '/nodes/pve1/qemu/111/status/start', { token: sim.tokens.admin });
    const b = await call(sim, 'POST', '/nodes/pve1/qemu/111/status/start', { token: sim.tokens.admin });
    const [sa, sb] = await Promise.all([waitTask(sim, a.json?.data as string, sim.tokens.admin), waitTask(sim, b.json?.data as string, sim.tokens.admin)]);
    assert.equal(sa.exitstatus, 'OK');
    assert.equal(sb.exitstatus, 'VM 111 already running');
  });

  it('times out on the config lock like flock', async () => {
    const short = await startTestSim({ lockTimeoutMs: 50, taskDurations: { qmstop: 400 } });
    try {
      const a = await call(short, 'POST', '/nodes/pve1/qemu/102/status/stop', { token: short.tokens.admin });
      const b = await call(short, 'POST', '/nodes/pve1/qemu/102/status/reset', { token: short.tokens.admin });
      const sb = await waitTask(short, b.json?.data as string, short.tokens.admin);
      assert.equal(sb.exitstatus, "can't lock file '/var/lock/qemu-server/lock-102.conf' - got timeout");
      await waitTask(short, a.json?.data as string, short.tokens.admin);
    } finally {
      await short.close();
    }
  });

  it('DELETE stops a running task: "received interrupt"', async () => {
    sim.tasks.override({ type: 'qmstart', id: '110', durationMs: 10000 });
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/110/status/start', { token: sim.tokens.admin });
    const upid = r.json?.data as string;
    const del = await call(sim, 'DELETE', `/nodes/pve1/tasks/${encodeURIComponent(upid)}`, { token: sim.tokens.admin });
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, { data: null });
    const st = await waitTask(sim, upid, sim.tokens.admin);
    assert.equal(st.exitstatus, 'received interrupt');
    const log = await getData<{ n: number; t: string }[]>(sim, `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, sim.tokens.admin);
    assert.equal(log.at(-1)?.t, 'TASK ERROR: received interrupt');
  });

  it('task outcomes can be scripted: warnings and errors', async () => {
    sim.tasks.override({ type: 'qmreset', warnings: ['disk is almost full'] });
    sim.state.setGuestStatus(111, 'running');
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/111/status/reset', { token: sim.tokens.admin });
    const st = await waitTask(sim, r.json?.data as string, sim.tokens.admin);
    assert.equal(st.exitstatus, 'WARNINGS: 1');
    sim.tasks.override({ type: 'qmreset', error: 'something\nbroke' });
    const r2 = await call(sim, 'POST', '/nodes/pve1/qemu/111/status/reset', { token: sim.tokens.admin });
    const st2 = await waitTask(sim, r2.json?.data as string, sim.tokens.admin);
    assert.equal(st2.exitstatus, 'something broke');
  });

  it('paused and hibernated VMs look like PVE shows them', async () => {
    const paused = await getData<{ status: string; qmpstatus: string }>(sim, '/nodes/pve2/qemu/104/status/current', sim.tokens.admin);
    assert.deepEqual([paused.status, paused.qmpstatus], ['running', 'paused']);
    const hib = await getData<{ status: string; qmpstatus: string; lock: string }>(sim, '/nodes/pve2/qemu/105/status/current', sim.tokens.admin);
    assert.deepEqual([hib.status, hib.qmpstatus, hib.lock], ['stopped', 'stopped', 'suspended']);
    const conf = await getData<Record<string, unknown>>(sim, '/nodes/pve2/qemu/105/config', sim.tokens.admin);
    assert.match(String(conf.vmstate), /^local-lvm:vm-105-state-suspend-/);
    const resume = await call(sim, 'POST', '/nodes/pve2/qemu/105/status/resume', { token: sim.tokens.admin });
    assert.equal((await waitTask(sim, resume.json?.data as string, sim.tokens.admin)).exitstatus, 'OK');
    const after = await getData<Record<string, unknown>>(sim, '/nodes/pve2/qemu/105/status/current', sim.tokens.admin);
    assert.equal(after.status, 'running');
    assert.equal(after.lock, undefined);
  });

  it('suspend to disk: lock "suspending" during the task, then stopped with lock "suspended"', async () => {
    sim.state.unlockGuest(102);
    sim.state.setGuestStatus(102, 'running');
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/102/status/suspend', { token: sim.tokens.admin, form: { todisk: '1' } });
    assert.equal(r.status, 200, r.reason);
    const upid = r.json?.data as string;
    assert.match(upid, /:qmsuspend:102:/);
    const st = await waitTask(sim, upid, sim.tokens.admin);
    assert.equal(st.exitstatus, 'OK');
    const cur = await getData<Record<string, unknown>>(sim, '/nodes/pve1/qemu/102/status/current', sim.tokens.admin);
    assert.deepEqual([cur.status, cur.lock], ['stopped', 'suspended']);
  });
});
