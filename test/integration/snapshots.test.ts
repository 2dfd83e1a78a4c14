import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ScriptedPrompter, type Answer } from './helpers/scriptedPrompter';
import { startSimCluster, TRANSPORTS, writes, type SimCluster } from './helpers/simCluster';

interface SimSnapshot {
  name: string;
  parent: string | undefined;
}

/** The simulator's snapshot list in PVE's own shape (GET …/snapshot), for comparing trees. */
async function snapshotList(c: SimCluster, vmid: number): Promise<SimSnapshot[]> {
  const entry = c.session().findGuest(vmid)!;
  const client = await c.session().client();
  const list = await client.snapshots({ node: entry.node, type: entry.type, vmid });
  return list.map((s) => ({ name: s.name, parent: s.parent })).sort((a, b) => a.name.localeCompare(b.name));
}

function treeLabel(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

async function run(c: SimCluster, command: string, arg: unknown, answers: Answer[]): Promise<ScriptedPrompter> {
  const prompter = c.usePrompter(new ScriptedPrompter(answers));
  await vscode.commands.executeCommand(command, arg);
  assert.deepEqual(prompter.problems, []);
  assert.equal(prompter.remaining, 0, 'not every scripted answer was asked for');
  return prompter;
}

for (const transport of TRANSPORTS) {
suite(`Snapshots (${transport})`, () => {
  let c: SimCluster;
  suiteSetup(async () => {
    c = await startSimCluster({ clusterId: `snaps-${transport}`, transport });
  });
  suiteTeardown(async () => {
    await c.dispose();
  });
  setup(() => {
    c.sim.requests.length = 0;
  });

  test('create: name validated like PVE, parent links updated, report', async () => {
    const before = await snapshotList(c, 103);
    const currentParent = before.find((s) => s.name === 'current')?.parent;
    const p = await run(c, 'proxmox.snapshot.create', { clusterId: c.clusterId, vmid: 103 }, [{ input: 'pre-test' }, { input: 'before the test' }]);
    const after = await snapshotList(c, 103);
    assert.deepEqual(after.find((s) => s.name === 'pre-test'), { name: 'pre-test', parent: currentParent });
    assert.deepEqual(after.find((s) => s.name === 'current'), { name: 'current', parent: 'pre-test' });
    assert.match(p.notifications.at(-1)!.message, /^VM 103 build01 on pve2: snapshot "pre-test" taken \(stopped → stopped\)$/);
    const post = writes(c.sim);
    assert.deepEqual(post.map((w) => w.apiPath), ['/nodes/pve2/qemu/103/snapshot']);
    const sent = c.sim.requests.find((r) => r.method === 'POST')!;
    assert.deepEqual(sent.params, { snapname: 'pre-test', description: 'before the test' });
  });

  test('the name box refuses what PVE refuses (41 chars, reserved, bad first char)', async () => {
    const p = c.usePrompter(new ScriptedPrompter([{ input: undefined }]));
    await vscode.commands.executeCommand('proxmox.snapshot.create', { clusterId: c.clusterId, vmid: 103 });
    const validate = p.inputs[0]?.validate;
    assert.ok(validate);
    assert.ok(validate('a'.repeat(41)));
    assert.ok(validate('current'));
    assert.ok(validate('1st'));
    assert.ok(validate('a/b'));
    assert.equal(validate('a'.repeat(40)), undefined);
    assert.equal(validate('pre-update_2'), undefined);
    assert.deepEqual(writes(c.sim), []);
  });

  test('a running VM is asked about RAM; with RAM, the snapshot records vmstate', async () => {
    await run(c, 'proxmox.snapshot.create', { clusterId: c.clusterId, vmid: 102 }, [{ input: 'with-ram' }, { input: '' }, { confirm: 'Include RAM' }]);
    const sent = c.sim.requests.find((r) => r.method === 'POST')!;
    assert.deepEqual(sent.params, { snapname: 'with-ram', vmstate: '1' });
  });

  test('a name already used is refused before sending', async () => {
    const p = await run(c, 'proxmox.snapshot.create', { clusterId: c.clusterId, vmid: 103 }, [{ input: 'pre-test' }, { input: '' }]);
    assert.match(p.notifications.at(-1)!.message, /already has a snapshot named "pre-test"/);
    assert.deepEqual(writes(c.sim), []);
  });

  test('rollback: destructive warning, then current points at the snapshot', async () => {
    const p = await run(c, 'proxmox.snapshot.rollback', { clusterId: c.clusterId, vmid: 102, snapshot: 'install' }, [
      { confirm: 'Roll Back', expect: /Everything that changed since the snapshot is lost/ },
    ]);
    assert.deepEqual(p.confirms[0]!.buttons, ['Roll Back', 'Roll Back and Start']);
    assert.match(p.confirms[0]!.detail, /stopped first; unsaved data in it is lost/);
    const after = await snapshotList(c, 102);
    assert.equal(after.find((s) => s.name === 'current')?.parent, 'install');
    assert.match(p.notifications.at(-1)!.message, /VM 102 db01 on pve1: rolled back to "install" \(running → stopped\)/);
  });

  test('rollback to a RAM snapshot resumes the VM and offers no "and Start"', async () => {
    const p = await run(c, 'proxmox.snapshot.rollback', { clusterId: c.clusterId, vmid: 102, snapshot: 'with-ram' }, [{ confirm: 'Roll Back' }]);
    assert.deepEqual(p.confirms[0]!.buttons, ['Roll Back']);
    assert.match(p.notifications.at(-1)!.message, /\(stopped → running\)/);
  });

  test('delete: confirmed, children re-attached to the parent', async () => {
    const before = await snapshotList(c, 102);
    assert.equal(before.find((s) => s.name === 'post-upgrade')?.parent, 'pre-upgrade');
    const p = await run(c, 'proxmox.snapshot.delete', { clusterId: c.clusterId, vmid: 102, snapshot: 'pre-upgrade' }, [{ confirm: 'Delete Snapshot', expect: /post-upgrade/ }]);
    const after = await snapshotList(c, 102);
    assert.equal(after.find((s) => s.name === 'pre-upgrade'), undefined);
    assert.equal(after.find((s) => s.name === 'post-upgrade')?.parent, 'install');
    assert.match(p.notifications.at(-1)!.message, /snapshot "pre-upgrade" deleted/);
  });

  test('dismissing delete or rollback sends nothing', async () => {
    await run(c, 'proxmox.snapshot.delete', { clusterId: c.clusterId, vmid: 102, snapshot: 'install' }, [{ confirm: undefined }]);
    await run(c, 'proxmox.snapshot.rollback', { clusterId: c.clusterId, vmid: 102, snapshot: 'install' }, [{ confirm: undefined }]);
    assert.deepEqual(writes(c.sim), []);
  });

  test('a snapshot that no longer exists is refused', async () => {
    const p = await run(c, 'proxmox.snapshot.rollback', { clusterId: c.clusterId, vmid: 102, snapshot: 'never-was' }, []);
    assert.match(p.notifications.at(-1)!.message, /no longer exists/);
    assert.deepEqual(writes(c.sim), []);
  });

  test('a failing snapshot task is reported with PVE\'s text (raw disk)', async () => {
    const p = await run(c, 'proxmox.snapshot.create', { clusterId: c.clusterId, vmid: 111 }, [{ input: 'nope' }, { input: '' }]);
    const report = p.notifications.at(-1)!;
    assert.equal(report.severity, 'error');
    assert.match(report.message, /snapshot feature is not available/);
  });

  test('edit description, show config and diff against the current config', async () => {
    await run(c, 'proxmox.snapshot.editDescription', { clusterId: c.clusterId, vmid: 103, snapshot: 'pre-test' }, [{ input: 'new words' }]);
    assert.deepEqual(writes(c.sim).map((w) => `${w.method} ${w.apiPath}`), ['PUT /nodes/pve2/qemu/103/snapshot/pre-test/config']);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('proxmox.snapshot.showConfig', { clusterId: c.clusterId, vmid: 103, snapshot: 'pre-test' });
    const doc = await vscode.workspace.openTextDocument(uri);
    const config = JSON.parse(doc.getText()) as Record<string, unknown>;
    assert.equal(config['description'], 'new words');
    const uris = await vscode.commands.executeCommand<vscode.Uri[]>('proxmox.snapshot.diff', { clusterId: c.clusterId, vmid: 103, snapshot: 'pre-test' });
    assert.equal(uris.length, 2);
    assert.match(uris[1]!.path, /\/api\/nodes\/pve2\/qemu\/103\/config\.json$/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the tree shows the new snapshot after create, under its parent', async () => {
    const entry = c.session().findGuest(103)!;
    const guest = c.api.tree.findGuestItem(c.clusterId, entry.key)!;
    await run(c, 'proxmox.snapshot.create', { clusterId: c.clusterId, vmid: 103 }, [{ input: 'second' }, { input: '' }]);
    const roots = await Promise.resolve(c.api.tree.getChildren(guest));
    const names = async (nodes: typeof roots): Promise<string[]> =>
      (await Promise.all(nodes.map(async (n) => [treeLabel(c.api.tree.getTreeItem(n)), ...(await names(await Promise.resolve(c.api.tree.getChildren(n))))]))).flat();
    const all = await names(roots);
    assert.ok(all.includes('second') && all.includes('pre-test') && all.includes('NOW'), all.join(','));
    assert.ok(all.indexOf('second') > all.indexOf('pre-test'), 'second sits below pre-test');
  });
});
}
