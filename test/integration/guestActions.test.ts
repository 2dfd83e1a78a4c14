import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ScriptedPrompter, type Answer } from './helpers/scriptedPrompter';
import { startSimCluster, TRANSPORTS, writes, type SimCluster } from './helpers/simCluster';

/** Runs a guest command on `{ clusterId, vmid }` with a script of answers. */
async function act(c: SimCluster, action: string, vmid: number, answers: Answer[] = []): Promise<ScriptedPrompter> {
  const prompter = c.usePrompter(new ScriptedPrompter(answers));
  await vscode.commands.executeCommand(`proxmox.guest.${action}`, { clusterId: c.clusterId, vmid });
  assert.deepEqual(prompter.problems, [], `${action} ${vmid}`);
  assert.equal(prompter.remaining, 0, `${action} ${vmid}: not every scripted answer was asked for`);
  return prompter;
}

/** The simulator's own view: running, paused, hibernated (stopped with lock suspended) or stopped. */
function simStatus(c: SimCluster, vmid: number): string {
  const g = c.sim.state.guests.get(vmid);
  assert.ok(g, `no guest ${vmid} in the simulator`);
  if (g.running) return g.qmpstatus === 'paused' ? 'paused' : 'running';
  return g.config['lock'] === 'suspended' ? 'hibernated' : 'stopped';
}

for (const transport of TRANSPORTS) {
suite(`Guest actions, the safe way (${transport})`, () => {
  let c: SimCluster;
  suiteSetup(async () => {
    c = await startSimCluster({ clusterId: `actions-${transport}`, transport });
  });
  suiteTeardown(async () => {
    await c.dispose();
  });
  setup(async () => {
    c.sim.requests.length = 0;
    await c.session().refresh();
  });

  // [action, vmid, button (undefined = no confirmation), report, simulator state afterwards]
  const cases: [string, number, string | undefined, RegExp, string][] = [
    ['start', 103, undefined, /^VM 103 build01 on pve2: stopped → running$/, 'running'],
    ['shutdown', 103, 'Shutdown', /^VM 103 build01 on pve2: running → stopped$/, 'stopped'],
    ['reboot', 102, 'Reboot', /^VM 102 db01 on pve1: running → running$/, 'running'],
    ['suspend', 102, 'Pause', /^VM 102 db01 on pve1: running → paused$/, 'paused'],
    ['resume', 102, undefined, /^VM 102 db01 on pve1: paused → running$/, 'running'],
    ['reset', 102, 'Reset', /^VM 102 db01 on pve1: running → running$/, 'running'],
    ['hibernate', 102, 'Hibernate', /^VM 102 db01 on pve1: running → hibernated$/, 'hibernated'],
    ['resume', 102, undefined, /^VM 102 db01 on pve1: hibernated → running$/, 'running'],
    ['stop', 101, 'Stop', /^CT 101 dns01 on pve1: running → stopped$/, 'stopped'],
    ['start', 101, undefined, /^CT 101 dns01 on pve1: stopped → running$/, 'running'],
    ['reboot', 101, 'Reboot', /^CT 101 dns01 on pve1: running → running$/, 'running'],
    ['suspend', 101, 'Pause', /^CT 101 dns01 on pve1: running → /, 'running'],
  ];
  for (const [action, vmid, button, report, after] of cases) {
    test(`${action} ${vmid}: ${button ? 'confirmed' : 'no confirmation'}, one request, report`, async () => {
      if (action === 'suspend' && vmid === 101) return; // see the LXC suspend test below
      const answers: Answer[] = button ? [{ confirm: button }] : [];
      const prompter = await act(c, action, vmid, answers);
      assert.equal(prompter.confirms.length, button ? 1 : 0);
      if (button) {
        const modal = prompter.confirms[0]!;
        assert.ok(modal.modal);
        assert.equal(modal.buttons[0], button, 'the button names the action');
        assert.match(`${modal.message}\n${modal.detail}`, new RegExp(`${vmid}`));
        assert.match(modal.detail, /on node pve\d is (running|stopped|paused|hibernated)/, 'names node and current state');
      }
      const posts = writes(c.sim);
      assert.equal(posts.length, 1, JSON.stringify(posts));
      assert.match(posts[0]!.apiPath, new RegExp(`/${vmid}/status/${action === 'hibernate' ? 'suspend' : action}$`));
      const last = prompter.notifications.at(-1);
      assert.ok(last, 'no report');
      assert.match(last.message, report);
      assert.equal(simStatus(c, vmid), after);
    });
  }

  test('stop and reset warn about lost data; shutdown does not', async () => {
    await act(c, 'stop', 102, [{ confirm: undefined }]).then((p) => {
      assert.match(p.confirms[0]!.detail, /unsaved data in the guest is lost/);
      assert.deepEqual(p.confirms[0]!.buttons, ['Stop', 'Shutdown Instead']);
    });
    const reset = await act(c, 'reset', 102, [{ confirm: undefined }]);
    assert.match(reset.confirms[0]!.detail, /unsaved data in the guest is lost/);
    const shutdown = await act(c, 'shutdown', 102, [{ confirm: undefined }]);
    assert.doesNotMatch(shutdown.confirms[0]!.detail, /lost/);
  });

  test('a dismissed confirmation sends nothing', async () => {
    for (const action of ['stop', 'shutdown', 'reboot', 'reset', 'suspend', 'hibernate']) {
      await act(c, action, 102, [{ confirm: undefined }]);
    }
    assert.deepEqual(writes(c.sim), []);
    assert.equal(simStatus(c, 102), 'running');
  });

  test('"Shutdown Instead" in the stop modal sends a shutdown', async () => {
    await act(c, 'stop', 103, []).catch(() => undefined); // 103 is stopped: refused, nothing sent
    assert.deepEqual(writes(c.sim), []);
    c.sim.state.setGuestStatus(103, 'running');
    await c.session().refresh();
    const p = await act(c, 'stop', 103, [{ confirm: 'Shutdown Instead' }]);
    assert.deepEqual(writes(c.sim).map((w) => w.apiPath), ['/nodes/pve2/qemu/103/status/shutdown']);
    assert.match(p.notifications.at(-1)!.message, /running → stopped/);
  });

  test('an action that does not fit the state is refused without a request', async () => {
    const p = await act(c, 'start', 102);
    assert.match(p.notifications.at(-1)!.message, /does not apply in its current state; nothing was sent/);
    const q = await act(c, 'start', 9000);
    assert.match(q.notifications.at(-1)!.message, /template/);
    const r = await act(c, 'reset', 101);
    assert.match(r.notifications.at(-1)!.message, /does not exist for this guest type/);
    assert.deepEqual(writes(c.sim), []);
  });

  test('a locked guest is refused with its lock named', async () => {
    const p = await act(c, 'stop', 106);
    assert.match(p.notifications.at(-1)!.message, /locked \(backup\)/);
    assert.deepEqual(writes(c.sim), []);
  });

  test('a guest that moved since the click: found on its new node, re-confirmed (scenario 21)', async () => {
    const entry = c.session().findGuest(103)!;
    const item = c.api.tree.findGuestItem(c.clusterId, entry.key);
    assert.ok(item);
    c.sim.state.migrateGuest(103, 'pve1');
    c.sim.state.setGuestStatus(103, 'running');
    const prompter = c.usePrompter(new ScriptedPrompter([{ confirm: 'Shutdown', expect: /moved from node pve2 to pve1/ }]));
    await vscode.commands.executeCommand('proxmox.guest.shutdown', item);
    assert.deepEqual(prompter.problems, []);
    assert.equal(prompter.remaining, 0);
    assert.deepEqual(writes(c.sim).map((w) => w.apiPath), ['/nodes/pve1/qemu/103/status/shutdown']);
    c.sim.state.migrateGuest(103, 'pve2');
  });

  test('a failing task shows PVE\'s message and offers the log', async () => {
    c.sim.tasks.override({ type: 'qmstart', id: '103', error: 'start failed: QEMU exited with code 1' });
    const p = await act(c, 'start', 103);
    const report = p.notifications.at(-1)!;
    assert.equal(report.severity, 'error');
    assert.match(report.message, /the task failed: start failed: QEMU exited with code 1/);
    assert.deepEqual(report.actions, ['Show Task Log']);
    assert.equal(simStatus(c, 103), 'stopped');
  });

  test('a task with warnings is reported as such', async () => {
    c.sim.tasks.override({ type: 'qmstart', id: '103', warnings: ['disk is nearly full'] });
    const p = await act(c, 'start', 103);
    const report = p.notifications.at(-1)!;
    assert.equal(report.severity, 'warning');
    assert.match(report.message, /stopped → running \(finished with WARNINGS: 1\)/);
    await act(c, 'shutdown', 103, [{ confirm: 'Shutdown' }]);
  });

  if (transport === 'https') test('a 403 names the missing privilege (scenario 15)', async () => {
    const ro = await startSimCluster({ clusterId: 'readonly', role: 'readonly' });
    try {
      const p = ro.usePrompter(new ScriptedPrompter([{ confirm: 'Stop' }]));
      await vscode.commands.executeCommand('proxmox.guest.stop', { clusterId: 'readonly', vmid: 102 });
      const error = p.notifications.at(-1)!;
      assert.equal(error.severity, 'error');
      assert.match(error.message, /lacks VM\.PowerMgmt on \/vms\/102/);
      assert.equal(simStatus(ro, 102), 'running');
    } finally {
      await ro.dispose();
    }
  });

  if (transport === 'https') test('actions the token may not run are hidden from the menus', async () => {
    const ro = await startSimCluster({ clusterId: 'operator', role: 'operator' });
    try {
      await ro.session().reloadPermissions();
      const entry = ro.session().findGuest(102)!;
      const item = ro.api.tree.getTreeItem(ro.api.tree.findGuestItem('operator', entry.key)!);
      assert.match(item.contextValue ?? '', /a:stop;/, 'the operator may stop');
      assert.doesNotMatch(item.contextValue ?? '', /a:snapshot;/, 'but not take snapshots');
    } finally {
      await ro.dispose();
    }
  });

  test('a double invocation sends one request (scenario 22)', async () => {
    const prompter = c.usePrompter(new ScriptedPrompter([{ confirm: 'Stop' }, { confirm: 'Stop' }]));
    await Promise.all([
      vscode.commands.executeCommand('proxmox.guest.stop', { clusterId: c.clusterId, vmid: 102 }),
      vscode.commands.executeCommand('proxmox.guest.stop', { clusterId: c.clusterId, vmid: 102 }),
    ]);
    assert.equal(writes(c.sim).length, 1);
    assert.ok(prompter.notifications.some((n) => /already running/.test(n.message)));
    await act(c, 'start', 102);
  });

  test('HA-managed guest: waits for the real state, not just the task (scenario 20)', async () => {
    const p = await act(c, 'shutdown', 100, [{ confirm: 'Shutdown' }]);
    assert.match(p.notifications.at(-1)!.message, /^VM 100 web01 on pve1: running → stopped$/);
    assert.equal(simStatus(c, 100), 'stopped');
    const q = await act(c, 'start', 100);
    assert.match(q.notifications.at(-1)!.message, /stopped → running$/);
  });

  test('multi-select: one confirmation listing all, bounded concurrency, partial failure summarized', async () => {
    c.sim.tasks.override({ type: 'qmshutdown', id: '102', error: 'VM quit/powerdown failed - got timeout' });
    const items = [102, 108, 106].map((vmid) => c.api.tree.findGuestItem(c.clusterId, c.session().findGuest(vmid)!.key)!);
    const prompter = c.usePrompter(new ScriptedPrompter([{ confirm: 'Shutdown' }]));
    await vscode.commands.executeCommand('proxmox.guest.shutdown', items[0], items);
    assert.deepEqual(prompter.problems, []);
    assert.equal(prompter.confirms.length, 1);
    const detail = prompter.confirms[0]!.detail;
    assert.match(detail, /VM 102 db01 on pve1/);
    assert.match(detail, /VM 108 k8s-node1 on pve3/);
    assert.match(detail, /Skipped:[\s\S]*locked \(backup\)/);
    const summary = prompter.notifications.at(-1)!;
    assert.match(summary.message, /1 succeeded, 1 failed, 1 skipped/);
    assert.equal(writes(c.sim).length, 2);
    await act(c, 'start', 108);
  });

  test('LXC suspend and resume', async () => {
    const p = await act(c, 'suspend', 101, [{ confirm: 'Pause' }]);
    assert.match(p.notifications.at(-1)!.message, /^CT 101 dns01 on pve1: running → /);
  });
});
}
