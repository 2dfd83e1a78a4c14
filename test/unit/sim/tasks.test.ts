// Task lists, status and log paging (NOTES.md §6, pve-manager API2/Tasks.pm).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../sim/simulator';
import { call, getData, startTestSim, waitTask } from './helpers';

let sim: Simulator;
let resetUpid = '';
before(async () => {
  sim = await startTestSim();
  sim.tasks.override({ type: 'qmreset', log: Array.from({ length: 10 }, (_v, i) => `line ${i + 1}`) });
  const r = await call(sim, 'POST', '/nodes/pve1/qemu/100/status/reset', { token: sim.tokens.admin });
  resetUpid = r.json?.data as string;
  await waitTask(sim, resetUpid, sim.tokens.admin);
});
after(async () => {
  await sim.close();
});

interface TaskRow {
  upid: string;
  type: string;
  id: string;
  user: string;
  tokenid?: string;
  status?: string;
  endtime?: number;
  pid?: number;
  pstart?: number;
  saved?: string;
  starttime: number;
}

const enc = encodeURIComponent;

describe('task log', () => {
  it('pages with start/limit, n is 1-based, total counts all lines, limit=0 reads all', async () => {
    const page = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(resetUpid)}/log?start=2&limit=3`, { token: sim.tokens.admin });
    assert.ok(page.json);
    assert.deepEqual(page.json.data, [
      { n: 3, t: 'line 3' },
      { n: 4, t: 'line 4' },
      { n: 5, t: 'line 5' },
    ]);
    assert.equal(page.json.total, 11);
    const all = await getData<{ n: number; t: string }[]>(sim, `/nodes/pve1/tasks/${enc(resetUpid)}/log?limit=0`, sim.tokens.admin);
    assert.equal(all.length, 11);
    assert.deepEqual(all.at(-1), { n: 11, t: 'TASK OK' });
    const past = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(resetUpid)}/log?start=50`, { token: sim.tokens.admin });
    assert.deepEqual([past.json?.data, past.json?.total], [[], 11]);
  });

  it('downloads the raw log, not together with start/limit', async () => {
    const d = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(resetUpid)}/log?download=1`, { token: sim.tokens.admin });
    assert.equal(d.headers['content-type'], 'text/plain');
    assert.match(String(d.headers['content-disposition']), /^attachment; filename="task-pve1-qmreset-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.log"$/);
    assert.ok(d.text.endsWith('TASK OK\n'));
    const both = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(resetUpid)}/log?download=1&start=0`, { token: sim.tokens.admin });
    assert.equal(both.reason, "'download' cannot be used together with 'start' or 'limit' parameters");
  });

  it('shows "no content" for an empty log and an error line for an unknown task', async () => {
    sim.tasks.override({ type: 'qmreset', durationMs: 2000 });
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/102/status/reset', { token: sim.tokens.admin });
    const upid = r.json?.data as string;
    const empty = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(upid)}/log`, { token: sim.tokens.admin });
    assert.deepEqual([empty.json?.data, empty.json?.total], [[{ n: 1, t: 'no content' }], 1]);
    await call(sim, 'DELETE', `/nodes/pve1/tasks/${enc(upid)}`, { token: sim.tokens.admin });
    const unknown = 'UPID:pve1:00001234:00001234:00001234:qmstart:100:root@pam:';
    const log = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(unknown)}/log`, { token: sim.tokens.admin });
    assert.deepEqual(log.json?.data, [{ n: 1, t: 'unable to open file - No such file or directory' }]);
  });
});

describe('task status', () => {
  it('400 for an unknown, a foreign-node or an unparsable UPID', async () => {
    const unknown = 'UPID:pve1:00001234:00001234:00001234:qmstart:100:root@pam:';
    const a = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(unknown)}/status`, { token: sim.tokens.admin });
    assert.deepEqual([a.status, a.json?.errors], [400, { upid: 'no such task' }]);
    const b = await call(sim, 'GET', `/nodes/pve2/tasks/${enc(resetUpid)}/status`, { token: sim.tokens.admin });
    assert.deepEqual(b.json?.errors, { upid: 'no such task' });
    const c = await call(sim, 'GET', `/nodes/pve1/tasks/not-a-upid/status`, { token: sim.tokens.admin });
    assert.deepEqual(c.json?.errors, { upid: 'unable to parse worker upid' });
  });

  it('needs Sys.Audit (read) or Sys.Modify (stop) when the task is not your own', async () => {
    const read = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(resetUpid)}/status`, { token: sim.tokens.pool });
    assert.equal(read.reason, 'Permission check failed (/nodes/pve1, Sys.Audit)');
    const auditor = await call(sim, 'GET', `/nodes/pve1/tasks/${enc(resetUpid)}/status`, { token: sim.tokens.readonly });
    assert.equal(auditor.status, 200);
    const stop = await call(sim, 'DELETE', `/nodes/pve1/tasks/${enc(resetUpid)}`, { token: sim.tokens.readonly });
    assert.equal(stop.reason, 'Permission check failed (/nodes/pve1, Sys.Modify)');
  });
});

describe('task lists', () => {
  it('archive (default) lists finished tasks newest first with endtime/status and total', async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/tasks', { token: sim.tokens.admin });
    const rows = r.json?.data as TaskRow[];
    const ends = rows.map((t) => t.endtime ?? 0);
    assert.deepEqual(ends, [...ends].sort((a, b) => b - a), 'newest first');
    const row = rows.find((t) => t.upid === resetUpid);
    assert.ok(row);
    assert.equal(row.user, 'automation@pve');
    assert.equal(row.tokenid, 'admin');
    assert.equal(row.status, 'OK');
    assert.ok(typeof row.endtime === 'number' && typeof row.pstart === 'number');
    assert.equal(r.json?.total, rows.length);
  });

  it('filters by type, vmid, user, status and errors; pages with start/limit', async () => {
    const byType = await getData<TaskRow[]>(sim, '/nodes/pve1/tasks?typefilter=vzdump', sim.tokens.admin);
    assert.deepEqual(byType.map((t) => t.type), ['vzdump']);
    const byVmid = await getData<TaskRow[]>(sim, '/nodes/pve1/tasks?vmid=100', sim.tokens.admin);
    assert.ok(byVmid.length >= 2 && byVmid.every((t) => t.id === '100'));
    const byUser = await getData<TaskRow[]>(sim, '/nodes/pve1/tasks?userfilter=AUTOMATION', sim.tokens.admin);
    assert.ok(byUser.length >= 1 && byUser.every((t) => t.user === 'automation@pve'));
    // errors=1 only drops 'ok' (warnings stay), like Tasks.pm.
    const errors = await getData<TaskRow[]>(sim, '/nodes/pve2/tasks?errors=1', sim.tokens.admin);
    assert.deepEqual(errors.map((t) => t.status).sort(), ['WARNINGS: 1', "can't lock file '/var/lock/qemu-server/lock-103.conf' - got timeout"]);
    const onlyErrors = await getData<TaskRow[]>(sim, '/nodes/pve2/tasks?statusfilter=error', sim.tokens.admin);
    assert.deepEqual(onlyErrors.map((t) => t.status), ["can't lock file '/var/lock/qemu-server/lock-103.conf' - got timeout"]);
    const warn = await getData<TaskRow[]>(sim, '/nodes/pve2/tasks?statusfilter=warning', sim.tokens.admin);
    assert.deepEqual(warn.map((t) => t.status), ['WARNINGS: 1']);
    const page = await call(sim, 'GET', '/nodes/pve1/tasks?start=1&limit=1', { token: sim.tokens.admin });
    const all = await getData<TaskRow[]>(sim, '/nodes/pve1/tasks', sim.tokens.admin);
    assert.deepEqual((page.json?.data as TaskRow[]).map((t) => t.upid), [all[1]?.upid]);
    assert.equal(page.json?.total, all.length);
  });

  it('source=active lists running tasks as RUNNING; /cluster/tasks has pid while running', async () => {
    sim.tasks.override({ type: 'qmreset', durationMs: 2000 });
    const r = await call(sim, 'POST', '/nodes/pve1/qemu/102/status/reset', { token: sim.tokens.admin });
    const upid = r.json?.data as string;
    const active = await getData<TaskRow[]>(sim, '/nodes/pve1/tasks?source=active', sim.tokens.admin);
    assert.deepEqual(active.map((t) => [t.upid, t.status, t.saved]), [[upid, 'RUNNING', '0']]);
    const archive = await getData<TaskRow[]>(sim, '/nodes/pve1/tasks', sim.tokens.admin);
    assert.ok(!archive.some((t) => t.upid === upid), 'running tasks are not in the archive');
    const cluster = await getData<TaskRow[]>(sim, '/cluster/tasks', sim.tokens.admin);
    const mine = cluster.find((t) => t.upid === upid);
    assert.ok(mine);
    assert.equal(mine.saved, '0');
    assert.equal(typeof mine.pid, 'number');
    assert.equal(mine.pstart, undefined);
    const done = cluster.find((t) => t.upid === resetUpid);
    assert.deepEqual([done?.saved, done?.status, done?.pid], ['1', 'OK', undefined]);
    await call(sim, 'DELETE', `/nodes/pve1/tasks/${enc(upid)}`, { token: sim.tokens.admin });
    await waitTask(sim, upid, sim.tokens.admin);
  });

  it('/cluster/tasks without Sys.Audit on / shows a token none of its own tasks (PVE quirk)', async () => {
    const r = await call(sim, 'POST', '/nodes/pve2/qemu/103/status/start', { token: sim.tokens.pool });
    await waitTask(sim, r.json?.data as string, sim.tokens.pool);
    assert.deepEqual(await getData<unknown[]>(sim, '/cluster/tasks', sim.tokens.pool), []);
    const own = await getData<TaskRow[]>(sim, '/nodes/pve2/tasks', sim.tokens.pool);
    assert.ok(own.some((t) => t.upid === r.json?.data));
  });
});
