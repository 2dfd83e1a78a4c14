import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { GuestActionTools, ReadTools, SnapshotTools } from '../../../src/tools/toolNames';
import { call, CHAT_TOKEN, markdownText, prepare, resultText, setToolSetting, startToolSim, tool, ToolPrompter, writes, type ToolSim } from './helpers';

interface Case {
  readonly tool: string;
  readonly input: Record<string, unknown>;
  /** The chat confirmation's title: the menu modal's question. */
  readonly title: RegExp;
  /** Sentences the confirmation must contain: cluster, node, type, VMID, name, state, consequence. */
  readonly body: readonly RegExp[];
  /** The fallback modal's buttons, as the context menu shows them. */
  readonly buttons: readonly string[];
}

const CLUSTER = /^Cluster: "sim"$/m;
const AGENT = /Requested by an AI agent\. The guest is read again before anything is sent/;

/** One case per action tool, each on a guest in a state where the action fits. */
const CASES: readonly Case[] = [
  { tool: GuestActionTools.start, input: { vmid: 103 }, title: /^Start VM 103 build01 on pve2\?$/, body: [/virtual machine 103 "build01" on node pve2 is stopped\./i, /The guest boots\./], buttons: ['Start'] },
  { tool: GuestActionTools.shutdown, input: { vmid: 101 }, title: /^Shutdown CT 101 dns01 on pve1\?$/, body: [/container 101 "dns01" on node pve1 is running\./i, /asked to shut down cleanly/], buttons: ['Shutdown'] },
  { tool: GuestActionTools.reboot, input: { name: 'db01' }, title: /^Reboot VM 102 db01 on pve1\?$/, body: [/virtual machine 102 "db01" on node pve1 is running\./i, /restarts cleanly/], buttons: ['Reboot'] },
  { tool: GuestActionTools.stop, input: { vmid: 102, node: 'pve1', type: 'qemu' }, title: /^Stop VM 102 db01 on pve1\?$/, body: [/is running\./, /like pulling the power plug: unsaved data in the guest is lost/], buttons: ['Stop', 'Shutdown Instead'] },
  { tool: GuestActionTools.reset, input: { vmid: 102 }, title: /^Reset VM 102 db01 on pve1\?$/, body: [/is running\./, /without shutting down its operating system/], buttons: ['Reset'] },
  { tool: GuestActionTools.suspend, input: { vmid: 102 }, title: /^Pause VM 102 db01 on pve1\?$/, body: [/is running\./, /frozen in memory/], buttons: ['Pause'] },
  { tool: GuestActionTools.hibernate, input: { vmid: 102 }, title: /^Hibernate VM 102 db01 on pve1\?$/, body: [/is running\./, /memory is written to disk/], buttons: ['Hibernate'] },
  { tool: GuestActionTools.resume, input: { vmid: 104 }, title: /^Resume VM 104 win11 on pve2\?$/, body: [/virtual machine 104 "win11" on node pve2 is paused\./i, /continues where it was paused/], buttons: ['Resume'] },
  { tool: SnapshotTools.create, input: { vmid: 103, snapshot: 'pre-update', description: 'before the update' }, title: /^Take snapshot "pre-update" of VM 103 build01 on pve2\?$/, body: [/virtual machine 103 "build01" on node pve2 is stopped\./i, /Disk only/], buttons: ['Take Snapshot'] },
  { tool: SnapshotTools.delete, input: { vmid: 103, snapshot: 'clean' }, title: /^Delete snapshot "clean" of VM 103 build01 on pve2\?$/, body: [/Snapshot "clean" of VM 103 build01 on pve2, taken /, /removed for good/], buttons: ['Delete Snapshot'] },
  { tool: SnapshotTools.rollback, input: { vmid: 103, snapshot: 'clean', start: true }, title: /^Roll back VM 103 build01 on pve2 to "clean"\?$/, body: [/VM 103 build01 on pve2 is stopped\. Snapshot "clean" was taken /, /Everything that changed since the snapshot is lost/, /^Afterwards the guest is started\.$/m], buttons: ['Roll Back', 'Roll Back and Start'] },
];

suite('Agent tools: actions confirm the exact target and run the menu\'s workflow', () => {
  let env: ToolSim;
  let prompter: ToolPrompter;

  suiteSetup(async () => {
    env = await startToolSim();
  });

  suiteTeardown(async () => {
    await env.dispose();
  });

  setup(() => {
    prompter = new ToolPrompter();
    env.api.setPrompter(prompter);
    env.sim.requests.length = 0;
  });

  const use = (...answers: (string | undefined)[]): ToolPrompter => {
    prompter = new ToolPrompter(...answers);
    env.api.setPrompter(prompter);
    return prompter;
  };

  test('prepareInvocation of every action tool names cluster, node, type, VMID, name, state and consequence', async () => {
    assert.equal(CASES.length, Object.keys(GuestActionTools).length + Object.keys(SnapshotTools).length);
    for (const c of CASES) {
      const prepared = await prepare(env.api, c.tool, c.input);
      const confirmation = prepared?.confirmationMessages;
      assert.ok(confirmation, `${c.tool}: no confirmation`);
      assert.match(confirmation.title, c.title, c.tool);
      const message = confirmation.message;
      assert.ok(message instanceof vscode.MarkdownString, `${c.tool}: the body must be a MarkdownString built with appendText`);
      assert.ok(!message.isTrusted && !message.supportHtml, `${c.tool}: the body must not be trusted`);
      // appendText escapes Markdown syntax and writes spaces as &nbsp;: undo both to read the words.
      const body = markdownText(message).replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>"|~])/g, '$1');
      for (const pattern of [CLUSTER, AGENT, ...c.body]) assert.match(body, pattern, `${c.tool}:\n${body}`);
      assert.match(markdownText(prepared.invocationMessage), /(VM|CT) \d+ \S+ on pve\d: /);
    }
    assert.deepEqual(writes(env.sim), [], 'prepareInvocation must not change anything');
    assert.deepEqual(prompter.confirms, [], 'prepareInvocation must not raise the modal');
  });

  test('invoked without a chat confirmation, every action tool raises the menu\'s modal and sends nothing when it is dismissed', async () => {
    for (const c of CASES) {
      use(undefined);
      const { text } = await call(env.api, c.tool, c.input);
      assert.equal(prompter.confirms.length, 1, `${c.tool}: the modal was not raised`);
      const [modal] = prompter.confirms;
      assert.ok(modal?.modal, `${c.tool}: not modal`);
      assert.match(modal.message, c.title, c.tool);
      assert.deepEqual(modal.buttons, c.buttons, c.tool);
      assert.match(text, /^Cancelled by the user: nothing was sent to (VM|CT) \d+ \S+ on pve\d \(cluster "sim"\)\. Do not retry/, `${c.tool}: ${text}`);
    }
    assert.deepEqual(writes(env.sim), [], 'a dismissed modal must send nothing');
  });

  test('through vscode.lm.invokeTool as well: the modal is raised, dismissing it sends nothing', async () => {
    // VS Code shows its own dialog for `confirmationMessages` outside chat (accepted automatically in
    // extension tests); the tool then asks with the menu's modal, since no chat confirmed it.
    for (const c of CASES) {
      use(undefined);
      const text = resultText(await vscode.lm.invokeTool(c.tool, { input: c.input, toolInvocationToken: undefined }));
      assert.equal(prompter.confirms.length, 1, `${c.tool}: the modal was not raised`);
      assert.match(text, /^Cancelled by the user: nothing was sent/, `${c.tool}: ${text}`);
    }
    assert.deepEqual(writes(env.sim), []);
  });

  test('confirmed in the modal, start runs once, waits for the task, re-reads and reports "stopped → running"', async () => {
    use('Start');
    const text = resultText(await vscode.lm.invokeTool(GuestActionTools.start, { input: { vmid: 103 }, toolInvocationToken: undefined }));
    try {
      assert.match(text, /^VM 103 build01 on pve2: stopped → running \(cluster "sim"\)\nThe task finished OK\.\nTask: UPID:pve2:[0-9A-F]+:[0-9A-F]+:[0-9A-F]+:qmstart:103:automation@pve!admin:$/);
      assert.deepEqual(writes(env.sim), ['POST /nodes/pve2/qemu/103/status/start']);
      assert.equal(env.sim.state.guest(103)?.running, true);
      // The state was re-read after the task: the last request is a status read of 103.
      const reads = env.sim.requests.filter((r) => r.method === 'GET').map((r) => r.apiPath ?? r.path);
      assert.equal(reads.at(-1), '/nodes/pve2/qemu/103/status/current');
    } finally {
      env.sim.state.setGuestStatus(103, 'stopped');
    }
  });

  test('confirmed in chat (prepareInvocation showed this guest in this state), stop runs without a second question', async () => {
    const { prepared, text } = await call(env.api, GuestActionTools.stop, { vmid: 102 }, { chat: true });
    try {
      assert.ok(prepared?.confirmationMessages);
      assert.deepEqual(prompter.confirms, [], 'the chat confirmation must be enough');
      assert.match(text, /^VM 102 db01 on pve1: running → stopped \(cluster "sim"\)\nThe task finished OK\./);
      assert.deepEqual(writes(env.sim), ['POST /nodes/pve1/qemu/102/status/stop']);
    } finally {
      env.sim.state.setGuestStatus(102, 'running');
    }
  });

  test('a chat token without a confirmation shown for this request still gets the modal', async () => {
    use(undefined);
    const result = await tool(env.api, GuestActionTools.stop).invoke({ input: { vmid: 102 }, toolInvocationToken: CHAT_TOKEN }, new vscode.CancellationTokenSource().token);
    assert.equal(prompter.confirms.length, 1);
    assert.match(resultText(result), /^Cancelled by the user/);
    assert.deepEqual(writes(env.sim), []);
  });

  test('the guest changed after the chat confirmation: the modal says so; dismissed, nothing is sent', async () => {
    const implementation = tool(env.api, GuestActionTools.stop);
    const none = new vscode.CancellationTokenSource().token;
    await implementation.prepareInvocation?.({ input: { vmid: 102 } }, none);
    env.sim.state.setGuestStatus(102, 'paused');
    try {
      use(undefined);
      const text = resultText(await implementation.invoke({ input: { vmid: 102 }, toolInvocationToken: CHAT_TOKEN }, none));
      assert.equal(prompter.confirms.length, 1, 'a changed guest must be confirmed again');
      assert.match(prompter.confirms[0]?.detail ?? '', /Note: the guest changed since you clicked\.\nIt is now paused \(the tree showed running\)\./);
      assert.match(text, /^Cancelled by the user/);
      assert.deepEqual(writes(env.sim), []);
    } finally {
      env.sim.state.setGuestStatus(102, 'running');
    }
  });

  test('"Shutdown Instead" in the modal sends the graceful action and says so', async () => {
    use('Shutdown Instead');
    const { text } = await call(env.api, GuestActionTools.stop, { vmid: 101 });
    try {
      assert.match(text, /^In the confirmation the user chose Shutdown instead of Stop\.\nCT 101 dns01 on pve1: running → stopped/);
      assert.deepEqual(writes(env.sim), ['POST /nodes/pve1/lxc/101/status/shutdown']);
    } finally {
      env.sim.state.setGuestStatus(101, 'running');
    }
  });

  test('one action per guest at a time: a second request while the first runs sends nothing', async () => {
    env.sim.tasks.override({ type: 'qmstart', id: '103', durationMs: 600 });
    use('Start', 'Start');
    const first = call(env.api, GuestActionTools.start, { vmid: 103 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await call(env.api, GuestActionTools.start, { vmid: 103 });
    try {
      assert.match(second.text, /^Another action on VM 103 build01 on pve2 is still running, so nothing was sent/);
      assert.equal(second.prepared?.confirmationMessages, undefined, 'a busy guest must not be offered for confirmation');
      assert.match((await first).text, /^VM 103 build01 on pve2: stopped → running/);
      assert.deepEqual(writes(env.sim), ['POST /nodes/pve2/qemu/103/status/start']);
    } finally {
      env.sim.state.setGuestStatus(103, 'stopped');
    }
  });

  test('cancelling stops the waiting, says the task keeps running, and does not resend', async () => {
    env.sim.tasks.override({ type: 'qmstart', id: '110', durationMs: 800 });
    use('Start');
    const source = new vscode.CancellationTokenSource();
    const pending = call(env.api, GuestActionTools.start, { vmid: 110 }, { token: source.token });
    await new Promise((resolve) => setTimeout(resolve, 250));
    source.cancel();
    try {
      const { text } = await pending;
      assert.match(text, /^Stopped waiting\. The task keeps running on the server\.\nVM 110 sandbox on pve1: stopped → /);
      assert.match(text, /^Task: UPID:pve1:.*:qmstart:110:/m);
      assert.deepEqual(writes(env.sim), ['POST /nodes/pve1/qemu/110/status/start']);
    } finally {
      await new Promise((resolve) => setTimeout(resolve, 700));
      env.sim.state.setGuestStatus(110, 'stopped');
    }
  });

  test('refusals are explanations with the current state, and nothing is sent', async () => {
    const refusals: [string, object, RegExp][] = [
      [GuestActionTools.stop, { vmid: 106 }, /^CT 106 monitoring on pve2 is locked \(backup\); wait for the running operation to finish\. Nothing was sent\.\nNow: CT 106 monitoring on pve2 .*running, locked \(backup\)/],
      [GuestActionTools.start, { vmid: 9000 }, /^VM 9000 tpl-debian12 on pve2 is a template; templates cannot be started or stopped\. Nothing was sent\./],
      [GuestActionTools.start, { vmid: 102 }, /^VM 102 db01 on pve1: Start does not apply in its current state; nothing was sent\.\nNow: VM 102 db01 on pve1 .*: running/],
      [GuestActionTools.reset, { vmid: 101 }, /^CT 101 dns01 on pve1: Reset does not exist for this guest type\. Nothing was sent\./],
      [GuestActionTools.hibernate, { vmid: 100 }, /^VM 100 web01 on pve1 is managed by HA and cannot hibernate\. Nothing was sent\./],
      [SnapshotTools.delete, { vmid: 103, snapshot: 'nope' }, /^VM 103 build01 on pve2: the snapshot "nope" no longer exists\. Nothing was sent\./],
      [SnapshotTools.create, { vmid: 103, snapshot: 'clean' }, /^VM 103 build01 on pve2 already has a snapshot named "clean"\. Nothing was sent\./],
      [SnapshotTools.create, { vmid: 101, snapshot: 'withram', includeRam: true }, /^CT 101 dns01 on pve1: RAM can only be included for a running VM\. Nothing was sent\./],
      [SnapshotTools.rollback, { vmid: 103, snapshot: 'current' }, /^Invalid snapshot name "current": "current", "pending" and "vzdump" are reserved by Proxmox VE\. Nothing was sent\./],
    ];
    for (const [name, input, expected] of refusals) {
      const { prepared, text } = await call(env.api, name, input);
      assert.equal(prepared?.confirmationMessages, undefined, `${name} ${JSON.stringify(input)} asks to confirm something it will refuse`);
      assert.match(text, expected, `${name} ${JSON.stringify(input)}`);
    }
    assert.deepEqual(prompter.confirms, []);
    assert.deepEqual(writes(env.sim), []);
  });

  test('a server error is returned as an explanation, not thrown', async () => {
    // Guest 111 keeps its disk on a raw file: PVE refuses snapshots of it.
    use('Take Snapshot');
    const { text } = await call(env.api, SnapshotTools.create, { vmid: 111, snapshot: 'before' });
    assert.match(text, /snapshot feature is not available/);
    assert.doesNotMatch(text, /\bat \S+ \(|Error:/, 'a stack trace reached the model');
  });

  test('snapshot create, rollback and delete through the tools, each re-checked afterwards', async () => {
    use('Take Snapshot');
    const created = (await call(env.api, SnapshotTools.create, { vmid: 103, snapshot: 'agent-test', description: 'by the agent' })).text;
    assert.match(created, /^VM 103 build01 on pve2: snapshot "agent-test" taken \(stopped → stopped\) \(cluster "sim"\)\nThe task finished OK\./);
    assert.ok(env.sim.state.guest(103)?.snapshots.has('agent-test'));
    use('Roll Back');
    const rolled = (await call(env.api, SnapshotTools.rollback, { vmid: 103, snapshot: 'agent-test' })).text;
    assert.match(rolled, /^VM 103 build01 on pve2: rolled back to "agent-test" \(stopped → stopped\)/);
    use();
    const deleted = (await call(env.api, SnapshotTools.delete, { vmid: 103, snapshot: 'agent-test' }, { chat: true })).text;
    assert.match(deleted, /^VM 103 build01 on pve2: snapshot "agent-test" deleted \(stopped → stopped\)/);
    assert.ok(!env.sim.state.guest(103)?.snapshots.has('agent-test'));
    assert.deepEqual(writes(env.sim), ['POST /nodes/pve2/qemu/103/snapshot', 'POST /nodes/pve2/qemu/103/snapshot/agent-test/rollback', 'DELETE /nodes/pve2/qemu/103/snapshot/agent-test']);
    assert.equal(prompter.confirms.length, 0, 'the delete was confirmed in chat');
  });

  test('with proxmox.agentTools.allowActions off, action tools refuse and read-only tools still answer', async () => {
    await setToolSetting('allowActions', false);
    try {
      for (const c of CASES) {
        const { prepared, text } = await call(env.api, c.tool, c.input, { chat: true });
        assert.equal(prepared?.confirmationMessages, undefined, c.tool);
        assert.match(text, /actions by agents are turned off \(setting proxmox.agentTools.allowActions\); nothing was sent/, c.tool);
      }
      assert.match((await call(env.api, ReadTools.guestStatus, { vmid: 102 })).text, /VM 102 db01 on pve1/);
      assert.deepEqual(prompter.confirms, []);
      assert.deepEqual(writes(env.sim), []);
    } finally {
      await setToolSetting('allowActions', undefined);
    }
  });
});
