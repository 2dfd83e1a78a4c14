import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PveError } from '../../../src/api/errors';
import { taskLogTail, waitForTask } from '../../../src/api/taskWaiter';
import { parseUpid } from '../../../src/api/upid';
import type { Simulator } from '../../sim/simulator';
import { startTestSim } from '../sim/helpers';
import { clientFor, type Harness } from './clientHarness';

describe('tasks: UPIDs, waiting, logs, stopping (scenario 19)', () => {
  let sim: Simulator;
  let h: Harness;
  before(async () => {
    sim = await startTestSim({ taskDurationMs: 60 });
    h = clientFor(sim);
  });
  after(async () => {
    await h.close();
    await sim.close();
  });

  const vm103 = { node: 'pve2', type: 'qemu', vmid: 103 } as const;

  it('a start returns a UPID in PVE\'s format whose task ends OK', async () => {
    sim.state.setGuestStatus(103, 'stopped');
    const upid = await h.client.guestAction(vm103, 'start');
    const parsed = parseUpid(upid);
    assert.equal(parsed.node, 'pve2');
    assert.equal(parsed.type, 'qmstart');
    assert.equal(parsed.id, '103');
    assert.equal(parsed.user, sim.tokens.admin.tokenId);
    const outcome = await waitForTask(h.client, upid);
    assert.equal(outcome.exitStatus, 'OK');
    assert.equal(outcome.warnings, 0);
    assert.ok(outcome.polls >= 1 && outcome.polls <= 4, `${outcome.polls} polls for a 60 ms task`);
    // Polls went to the UPID's own node.
    assert.ok(sim.requests.filter((r) => r.apiPath?.includes('/tasks/')).every((r) => r.apiPath?.startsWith('/nodes/pve2/tasks/')));
  });

  it('WARNINGS: n is success, with the count', async () => {
    sim.state.setGuestStatus(103, 'stopped');
    sim.tasks.override({ type: 'qmstart', warnings: ['a', 'b'] });
    const outcome = await waitForTask(h.client, await h.client.guestAction(vm103, 'start'));
    assert.equal(outcome.exitStatus, 'WARNINGS: 2');
    assert.equal(outcome.warnings, 2);
  });

  it('an error exit status rejects with taskFailed and the log tail shows it', async () => {
    sim.state.setGuestStatus(103, 'stopped');
    sim.tasks.override({ type: 'qmstart', error: 'boot failed: no bootable device', log: ['starting VM 103'] });
    const upid = await h.client.guestAction(vm103, 'start');
    await assert.rejects(waitForTask(h.client, upid), (e) => PveError.is(e, 'taskFailed') && e.exitStatus === 'boot failed: no bootable device' && e.upid === upid);
    const tail = await taskLogTail(h.client, upid, 5);
    assert.equal(tail.at(-1), 'TASK ERROR: boot failed: no bootable device');
    assert.ok(tail.includes('starting VM 103'));
  });

  it('the cap stops waiting, not the task; stopTask ends it with "received interrupt"', async () => {
    sim.state.setGuestStatus(103, 'stopped');
    sim.tasks.override({ type: 'qmstart', durationMs: 5000 });
    const upid = await h.client.guestAction(vm103, 'start');
    await assert.rejects(waitForTask(h.client, upid, { capMs: 200 }), (e) => PveError.is(e, 'timeout') && e.upid === upid);
    assert.equal((await h.client.taskStatus(upid)).status, 'running');
    await h.client.stopTask(upid);
    await assert.rejects(waitForTask(h.client, upid), (e) => PveError.is(e, 'taskFailed') && e.exitStatus === 'received interrupt');
  });

  it('cancelling the wait rejects with cancelled at once', async () => {
    sim.state.setGuestStatus(103, 'stopped');
    sim.tasks.override({ type: 'qmstart', durationMs: 2000 });
    const upid = await h.client.guestAction(vm103, 'start');
    const controller = new AbortController();
    setTimeout(() => { controller.abort(); }, 150);
    await assert.rejects(waitForTask(h.client, upid, { signal: controller.signal }), (e) => PveError.is(e, 'cancelled'));
    await h.client.stopTask(upid);
  });

  it('the log pages with start/limit and total', async () => {
    sim.state.setGuestStatus(103, 'stopped');
    sim.tasks.override({ type: 'qmstart', log: Array.from({ length: 30 }, (_, i) => `line ${i}`) });
    const upid = await h.client.guestAction(vm103, 'start');
    await waitForTask(h.client, upid);
    const page = await h.client.taskLog(upid, { start: 10, limit: 5 });
    assert.equal(page.lines.length, 5);
    assert.equal(page.lines[0]?.n, 11);
    assert.ok((page.total ?? 0) >= 31);
  });

  it('polling a young task tolerates PVE\'s brief 400 "no such task"', async () => {
    sim.state.setGuestStatus(103, 'stopped');
    const upid = await h.client.guestAction(vm103, 'start');
    sim.faults.add({ method: 'GET', path: /\/tasks\/.*\/status$/, times: 2, action: { kind: 'status', status: 400, reason: 'Parameter verification failed.', body: JSON.stringify({ data: null, errors: { upid: 'no such task' } }) } });
    const outcome = await waitForTask(h.client, upid);
    assert.equal(outcome.exitStatus, 'OK');
    sim.faults.clear();
  });

  it('a UPID that is not one is refused before any request', async () => {
    sim.requests.length = 0;
    await assert.rejects(waitForTask(h.client, 'UPID:../../etc'), (e) => PveError.is(e, 'invalidInput'));
    assert.equal(sim.requests.length, 0);
  });
});
