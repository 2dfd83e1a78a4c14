import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { completePath } from '../../src/model/apiPathCompletion';
import { CANARY_SECRET } from './helpers/canary';
import { ScriptedPrompter } from './helpers/scriptedPrompter';
import { startSimCluster, TRANSPORTS, type SimCluster } from './helpers/simCluster';

async function openJson(uri: vscode.Uri): Promise<unknown> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return JSON.parse(doc.getText()) as unknown;
}

for (const transport of TRANSPORTS) {
suite(`Palette queries and read-only documents (${transport})`, () => {
  let c: SimCluster;
  suiteSetup(async () => {
    c = await startSimCluster({ clusterId: `queries-${transport}`, transport });
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await c.dispose();
  });
  setup(() => {
    c.sim.requests.length = 0;
  });

  test('Get API Path opens the GET answer as read-only JSON, one document per path', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('proxmox.api.get', c.clusterId, '/cluster/resources');
    assert.equal(uri.scheme, 'proxmox');
    const data = (await openJson(uri)) as { vmid?: number; type: string }[];
    const vmids = data.filter((d) => d.type === 'qemu' || d.type === 'lxc').map((d) => d.vmid).sort((a, b) => (a ?? 0) - (b ?? 0));
    assert.deepEqual(vmids, [...c.sim.state.guests.keys()].sort((a, b) => a - b));
    assert.ok(c.sim.requests.every((r) => r.method === 'GET'));
    const again = await vscode.commands.executeCommand<vscode.Uri>('proxmox.api.get', c.clusterId, '/api2/json/cluster/resources/');
    assert.equal(again.toString(), uri.toString());
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    // Read-only: the content provider's documents cannot be saved back.
    assert.equal(editor.document.isUntitled, false);
  });

  test('query parameters travel with the document and are sent as given', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('proxmox.api.get', c.clusterId, '/cluster/resources', { type: 'node' });
    const data = (await openJson(uri)) as { type: string }[];
    assert.ok(data.length > 0 && data.every((d) => d.type === 'node'));
    assert.deepEqual(c.sim.requests.at(-1)?.query, { type: 'node' });
  });

  for (const bad of ['../..', 'a/b', '/nodes/pve1%2F..%2Faccess', 'https://evil/', '//evil/x', '/nodes/../access', '/version?x=1']) {
    test(`the path ${JSON.stringify(bad)} is refused with zero requests (scenario 23)`, async () => {
      const p = c.usePrompter(new ScriptedPrompter());
      await vscode.commands.executeCommand('proxmox.api.get', c.clusterId, bad);
      assert.equal(c.sim.requests.length, 0);
      assert.equal(p.notifications.at(-1)?.severity, 'error');
      assert.match(p.notifications.at(-1)!.message, /^Invalid input:/);
    });
  }

  test('completion offers live node and VMID values from the cluster', () => {
    const index = c.session().index!;
    const values = {
      nodes: [...index.nodes.keys()],
      guests: [...index.guests.values()].map((g) => ({ node: g.node, type: g.type, vmid: g.vmid })),
      storages: [...index.storagesByNode.values()].flat().map((s) => ({ node: s.node, storage: s.storage })),
    };
    assert.deepEqual(completePath('/nodes/', values).map((x) => x.path), ['/nodes/pve1', '/nodes/pve2', '/nodes/pve3']);
    const qemuOnPve2 = completePath('/nodes/pve2/qemu/', values).map((x) => x.path);
    assert.deepEqual(qemuOnPve2, ['/nodes/pve2/qemu/103', '/nodes/pve2/qemu/104', '/nodes/pve2/qemu/105', '/nodes/pve2/qemu/9000']);
    const lxcOnPve2 = completePath('/nodes/pve2/lxc/', values).map((x) => x.path);
    assert.deepEqual(lxcOnPve2, ['/nodes/pve2/lxc/106', '/nodes/pve2/lxc/107']);
    const endpoints = completePath('/nodes/pve2/qemu/103/', values);
    assert.ok(endpoints.some((e) => e.path === '/nodes/pve2/qemu/103/config' && e.isEndpoint));
  });

  test('documents refresh from the server', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('proxmox.guest.showStatus', { clusterId: c.clusterId, vmid: 103 });
    let doc = await vscode.workspace.openTextDocument(uri);
    assert.equal((JSON.parse(doc.getText()) as { status: string }).status, 'stopped');
    c.sim.state.setGuestStatus(103, 'running');
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString()) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('proxmox.document.refresh', uri);
    await changed;
    doc = await vscode.workspace.openTextDocument(uri);
    assert.equal((JSON.parse(doc.getText()) as { status: string }).status, 'running');
    c.sim.state.setGuestStatus(103, 'stopped');
  });

  test('guest config: node and type are looked up (qm config / pct config)', async () => {
    const vm = await vscode.commands.executeCommand<vscode.Uri>('proxmox.guest.showConfig', { clusterId: c.clusterId, vmid: 104 });
    assert.match(vm.path, /\/api\/nodes\/pve2\/qemu\/104\/config\.json$/);
    const ct = await vscode.commands.executeCommand<vscode.Uri>('proxmox.guest.showConfig', { clusterId: c.clusterId, vmid: 107 });
    assert.match(ct.path, /\/api\/nodes\/pve2\/lxc\/107\/config\.json$/);
    const config = (await openJson(ct)) as Record<string, unknown>;
    assert.equal(typeof config['hostname'], 'string');
  });

  test('node, cluster and storage status documents', async () => {
    c.usePrompter(new ScriptedPrompter([{ pick: (items) => items.find((i) => i.label === 'pve2')?.value }]));
    const node = await vscode.commands.executeCommand<vscode.Uri>('proxmox.node.showStatus', c.clusterId);
    assert.ok(((await openJson(node)) as { cpuinfo?: unknown }).cpuinfo);
    const cluster = await vscode.commands.executeCommand<vscode.Uri>('proxmox.cluster.showStatus', c.clusterId);
    const status = (await openJson(cluster)) as { type: string; name: string }[];
    assert.ok(status.some((s) => s.type === 'cluster' && s.name === 'homelab'));
    c.usePrompter(new ScriptedPrompter([{ pick: (items) => items.find((i) => i.label === 'local-lvm')?.value }]));
    const storage = await vscode.commands.executeCommand<vscode.Uri>('proxmox.storage.showStatus', c.clusterId);
    assert.match(storage.path, /\/api\/nodes\/pve\d\/storage\.json$/);
    const rows = (await openJson(storage)) as { storage: string; total: number; used: number }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.storage, 'local-lvm');
    assert.ok(rows[0]!.total > 0);
  });

  test('Find Guest by VMID says VM or container and which node, and offers its actions', async () => {
    const p = c.usePrompter(new ScriptedPrompter([{ pick: (items) => { assert.ok(items.some((i) => i.label === 'Start')); return undefined; } }]));
    const found = await vscode.commands.executeCommand<{ entry: { type: string; node: string } } | undefined>('proxmox.guest.find', 107);
    assert.deepEqual(p.problems, []);
    assert.equal(found?.entry.type, 'lxc');
    assert.equal(found.entry.node, 'pve2');
  });

  test('Find Guest by VMID says clearly when it does not exist or is not visible', async () => {
    const p = c.usePrompter(new ScriptedPrompter());
    const found = await vscode.commands.executeCommand('proxmox.guest.find', 555);
    assert.equal(found, undefined);
    assert.match(p.notifications.at(-1)!.message, /No guest with VMID 555 .*not exist, or this token cannot see it/);
  });

  if (transport === 'https') test('copy as pvesh and as curl: the secret stays out', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('proxmox.api.get', c.clusterId, '/nodes/pve1/qemu', { full: '1' });
    const pvesh = await vscode.commands.executeCommand<string>('proxmox.document.copyAsPvesh', uri);
    assert.equal(pvesh, 'pvesh get /nodes/pve1/qemu --full 1 --output-format json-pretty');
    const curl = await vscode.commands.executeCommand<string>('proxmox.document.copyAsCurl', uri);
    assert.ok(curl.includes('$PVE_TOKEN_SECRET'));
    assert.ok(!curl.includes(CANARY_SECRET));
    assert.ok(curl.includes(`${c.sim.url}/api2/json/nodes/pve1/qemu?full=1`));
    assert.equal(await vscode.env.clipboard.readText(), curl);
  });

  test('the Tasks view shows a task started by an action at once, and its log', async () => {
    c.usePrompter(new ScriptedPrompter());
    await vscode.commands.executeCommand('proxmox.guest.start', { clusterId: c.clusterId, vmid: 103 });
    const task = c.api.tasks.tasksOf(c.clusterId).find((t) => t.type === 'qmstart' && t.id === '103');
    assert.ok(task, 'the task is listed');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('proxmox.task.showLog', c.clusterId, task.upid);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /TASK OK/);
    await c.api.tasks.refresh(c.clusterId);
    const listed = c.api.tasks.tasksOf(c.clusterId).find((t) => t.upid === task.upid);
    assert.equal(listed?.state, 'ok');
  });

  test('a running task log follows the task to its end; Stop Task is confirmed', async () => {
    c.sim.tasks.override({ type: 'qmshutdown', id: '103', durationMs: 1500 });
    const client = await c.session().client();
    const upid = await client.guestAction({ node: 'pve2', type: 'qemu', vmid: 103 }, 'shutdown');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('proxmox.task.showLog', c.clusterId, upid);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /task running/);
    const p = c.usePrompter(new ScriptedPrompter([{ confirm: undefined, expect: /qmshutdown 103 on pve2/ }]));
    await vscode.commands.executeCommand('proxmox.task.stop', c.clusterId, upid);
    assert.deepEqual(p.problems, []);
    assert.ok(!c.sim.requests.some((r) => r.method === 'DELETE'), 'dismissed: no stop sent');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error('the log did not follow the task to its end')); }, 8000);
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString() && /task finished: OK/.test(e.document.getText())) {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
    });
  });
});
}

suite('Find Guest with a token limited to one pool', () => {
  test('a guest outside the token\'s view is reported as not visible, never guessed', async () => {
    const pool = await startSimCluster({ clusterId: 'poolonly', role: 'pool' });
    try {
      const p = pool.usePrompter(new ScriptedPrompter());
      // The pool token sees 103, 104 and 110 only; 102 exists but is invisible to it.
      const found = await vscode.commands.executeCommand('proxmox.guest.find', 102);
      assert.equal(found, undefined);
      assert.match(p.notifications.at(-1)!.message, /No guest with VMID 102 on poolonly/);
      assert.ok(pool.session().findGuest(103), 'but a guest of its pool is visible');
    } finally {
      await pool.dispose();
    }
  });
});
