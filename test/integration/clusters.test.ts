import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/tree/treeNode';
import { startSimulator, type Simulator } from '../sim/simulator';
import { testApi } from './helpers/extensionApi';
import { CANARY_SECRET } from './helpers/canary';
import { ScriptedPrompter } from './helpers/scriptedPrompter';
import { startSimCluster, type SimCluster } from './helpers/simCluster';

async function children(api: Awaited<ReturnType<typeof testApi>>, node?: TreeNode): Promise<TreeNode[]> {
  return Promise.resolve(api.tree.getChildren(node));
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

function userClusters(): unknown[] {
  return (vscode.workspace.getConfiguration('proxmox').inspect<unknown[]>('clusters')?.globalValue ?? []);
}

suite('Connections: Add Cluster', () => {
  let sim: Simulator;
  let canary: { tokenId: string; secret: string };
  suiteSetup(async () => {
    sim = await startSimulator({ taskDurationMs: 40, certificate: { keyType: 'ec' } });
    sim.state.addToken('automation@pve', { name: 'canary', secret: CANARY_SECRET, privsep: false });
    canary = { tokenId: 'automation@pve!canary', secret: CANARY_SECRET };
    await vscode.workspace.getConfiguration('proxmox').update('refreshInterval', 0, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    const api = await testApi();
    api.resetPrompter();
    for (const s of api.manager.sessions) await api.manager.removeCluster(s.config.id);
    await sim.close();
  });

  test('declining the certificate sends nothing and stores nothing (scenario 1)', async () => {
    const api = await testApi();
    const prompter = new ScriptedPrompter([
      { input: sim.url, expect: /address/ },
      { input: canary.tokenId },
      { input: canary.secret },
      { input: 'declined' },
      { confirm: undefined, expect: new RegExp(sim.fingerprint) },
    ]);
    api.setPrompter(prompter);
    sim.requests.length = 0;
    const saved = await vscode.commands.executeCommand<boolean>('proxmox.cluster.add');
    assert.equal(saved, false);
    assert.deepEqual(prompter.problems, []);
    assert.equal(sim.requests.length, 0, 'an HTTP request was sent before the certificate was accepted');
    assert.equal(userClusters().length, 0);
    assert.equal(await api.manager.secrets.getTokenSecret('declined'), undefined);
  });

  test('accepting pins the SHA-256 fingerprint; the secret is only in SecretStorage', async () => {
    const api = await testApi();
    const secret = canary.secret;
    const prompter = new ScriptedPrompter([
      { input: sim.url },
      { input: canary.tokenId },
      { input: secret },
      { input: 'Home Lab' },
      { confirm: 'Trust and Pin', expect: /pvenode cert info/ },
    ]);
    api.setPrompter(prompter);
    await vscode.commands.executeCommand('proxmox.cluster.add');
    assert.deepEqual(prompter.problems, []);
    const trustModal = prompter.confirms[0];
    assert.ok(trustModal?.detail.includes(sim.fingerprint), 'the modal shows the fingerprint in PVE format');
    const entries = userClusters() as Record<string, unknown>[];
    assert.equal(entries.length, 1);
    assert.deepEqual({ ...entries[0] }, { id: 'home-lab', name: 'Home Lab', url: sim.url, tokenId: canary.tokenId, fingerprint: sim.fingerprint });
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('proxmox'));
    assert.ok(!settingsText.includes(secret), 'the secret reached the settings');
    assert.ok(!JSON.stringify(entries).includes(secret));
    assert.ok(!api.stateValues().includes(secret), 'the secret reached globalState/workspaceState');
    assert.equal(await api.manager.secrets.getTokenSecret('home-lab'), secret);
    const session = api.manager.get('home-lab');
    assert.ok(session);
    await session.refresh();
    assert.equal(session.state.kind, 'ready');
    // Every request carried the token only after the pin was in place.
    assert.ok(sim.requests.every((r) => r.auth.kind === 'token'));
  });

  test('remove deletes the settings entry and the secret', async () => {
    const api = await testApi();
    api.setPrompter(new ScriptedPrompter([{ confirm: 'Remove', expect: /Home Lab/ }]));
    await vscode.commands.executeCommand('proxmox.cluster.remove', 'home-lab');
    assert.equal(userClusters().length, 0);
    assert.equal(await api.manager.secrets.getTokenSecret('home-lab'), undefined);
    assert.equal(api.manager.get('home-lab'), undefined);
  });

  test('import from the environment asks first, then trusts knowingly', async () => {
    const api = await testApi();
    const prompter = new ScriptedPrompter([{ confirm: 'Add Cluster', expect: /PVE_TOKEN_SECRET/ }, { confirm: 'Trust and Pin' }]);
    api.setPrompter(prompter);
    // The command reads the extension host's environment; set it for this test only.
    process.env['PVE_HOST'] = sim.url;
    process.env['PVE_TOKEN_ID'] = sim.tokens.readonly.tokenId;
    process.env['PVE_TOKEN_SECRET'] = sim.tokens.readonly.secret;
    try {
      await vscode.commands.executeCommand('proxmox.cluster.importFromEnv');
    } finally {
      delete process.env['PVE_HOST'];
      delete process.env['PVE_TOKEN_ID'];
      delete process.env['PVE_TOKEN_SECRET'];
    }
    assert.deepEqual(prompter.problems, []);
    const entries = userClusters() as Record<string, unknown>[];
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.['tokenId'], sim.tokens.readonly.tokenId);
    assert.ok(!JSON.stringify(entries).includes(sim.tokens.readonly.secret));
    await api.manager.removeCluster(String(entries[0]['id']));
  });
});

suite('Cluster tree against the simulator', () => {
  let c: SimCluster;
  suiteSetup(async () => {
    c = await startSimCluster();
  });
  suiteTeardown(async () => {
    c.api.tree.setFilter({ text: '', tags: [], states: [], types: [], showTemplates: true });
    await vscode.commands.executeCommand('proxmox.clusters.groupBy', 'node');
    await c.dispose();
  });

  async function guestsByNode(): Promise<Map<string, number[]>> {
    const [cluster] = (await children(c.api)).filter((n) => n.id === c.clusterId);
    assert.ok(cluster, 'no cluster item');
    const out = new Map<string, number[]>();
    for (const node of await children(c.api, cluster)) {
      const nodeLabel = label(c.api.tree.getTreeItem(node));
      const vmids: number[] = [];
      for (const guest of await children(c.api, node)) {
        c.api.tree.getTreeItem(guest); // VS Code renders every child it is given
        const m = /\/(qemu|lxc)\/(\d+)$/.exec(guest.id);
        if (m) vmids.push(Number(m[2]));
      }
      out.set(nodeLabel, vmids);
    }
    return out;
  }

  test('one /cluster/resources request per refresh, no per-node listing', async () => {
    await c.session().refresh();
    await c.session().reloadPermissions(); // loaded once after the first refresh; not part of a refresh
    c.sim.requests.length = 0;
    await c.session().refresh();
    const gets = c.sim.requests.map((r) => r.apiPath);
    assert.deepEqual(gets, ['/cluster/resources']);
  });

  test('the tree shows every node and guest of the simulator, on the right node', async () => {
    const tree = await guestsByNode();
    const expected = new Map<string, number[]>();
    for (const g of c.sim.state.guests.values()) expected.set(g.node, [...(expected.get(g.node) ?? []), g.vmid].sort((a, b) => a - b));
    assert.deepEqual([...tree.keys()].sort(), c.sim.state.nodes.map((n) => n.name).sort());
    for (const [node, vmids] of expected) assert.deepEqual(tree.get(node), vmids, node);
  });

  test('icons, descriptions and context values follow the state', () => {
    const item = (vmid: number): vscode.TreeItem => {
      const key = [...c.session().index!.guests.values()].find((g) => g.vmid === vmid)!.key;
      const node = c.api.tree.findGuestItem(c.clusterId, key);
      assert.ok(node, `no item for ${vmid}`);
      return c.api.tree.getTreeItem(node);
    };
    const icon = (i: vscode.TreeItem): string => (i.iconPath instanceof vscode.ThemeIcon ? `${i.iconPath.id}:${i.iconPath.color?.id ?? ''}` : '');
    assert.equal(icon(item(102)), 'vm-running:charts.green');
    assert.equal(icon(item(103)), 'vm-outline:disabledForeground');
    assert.equal(icon(item(104)), 'debug-pause:charts.yellow');
    assert.equal(icon(item(105)), 'save:charts.blue');
    assert.equal(icon(item(106)), 'lock:charts.orange');
    assert.equal(icon(item(9000)), 'file-code:descriptionForeground');
    assert.equal(icon(item(100)), 'shield:charts.green');
    assert.equal(icon(item(101)), 'package:charts.green');
    assert.match(String(item(102).description), /^VM 102 · CPU /);
    assert.match(String(item(101).description), /^CT 101/);
    assert.match(item(102).contextValue ?? '', /^guest;type=qemu;status=running;.*a:stop;/);
    assert.doesNotMatch(item(9000).contextValue ?? '', /a:/);
    assert.match(item(106).contextValue ?? '', /;locked;/);
  });

  test('tooltips show server text as text, never as markup (scenario 24)', () => {
    const key = [...c.session().index!.guests.values()].find((g) => g.vmid === 110)!.key;
    const node = c.api.tree.findGuestItem(c.clusterId, key)!;
    const tooltip = c.api.tree.resolveTreeItem(c.api.tree.getTreeItem(node), node).tooltip as vscode.MarkdownString;
    assert.equal(tooltip.isTrusted, false);
    assert.equal(tooltip.supportHtml, false);
    assert.ok(!/\]\(command:/.test(tooltip.value) || tooltip.value.includes('\\['), tooltip.value);
  });

  test('an offline node: its guests are unknown and have no actions; other nodes are fine (scenario 16)', async () => {
    c.sim.state.setNodeOnline('pve3', false);
    try {
      await c.session().refresh();
      const guests = [...c.session().index!.guests.values()];
      for (const g of guests.filter((x) => x.node === 'pve3')) {
        assert.equal(g.power, 'unknown');
        const item = c.api.tree.getTreeItem(c.api.tree.findGuestItem(c.clusterId, g.key)!);
        assert.doesNotMatch(item.contextValue ?? '', /a:/);
      }
      assert.ok(guests.filter((x) => x.node === 'pve1').every((g) => g.power !== 'unknown'));
      const [cluster] = (await children(c.api)).filter((n) => n.id === c.clusterId);
      const pve3 = (await children(c.api, cluster)).find((n) => n.id.endsWith('/pve3'))!;
      assert.match(String(c.api.tree.getTreeItem(pve3).description), /offline/);
    } finally {
      c.sim.state.setNodeOnline('pve3', true);
      await c.session().refresh();
    }
  });

  test('a change on the server refreshes only the changed item, in one event', async () => {
    // CPU and memory change on every refresh of a real cluster; show only the VMID so that the
    // one guest that changed is the only guest whose rendering changes.
    await vscode.workspace.getConfiguration('proxmox').update('tree.description', ['vmid'], vscode.ConfigurationTarget.Global);
    try {
      await guestsByNode(); // render everything
      await c.session().refresh();
      const before = { ...c.api.tree.stats };
      c.sim.state.setGuestStatus(103, 'running');
      await c.session().refresh();
      const key = [...c.session().index!.guests.values()].find((g) => g.vmid === 103)!.key;
      const item = c.api.tree.getTreeItem(c.api.tree.findGuestItem(c.clusterId, key)!);
      assert.match(item.contextValue ?? '', /status=running/);
      assert.equal(c.api.tree.stats.fullRefreshes, before.fullRefreshes);
      assert.equal(c.api.tree.stats.events - before.events, 1, 'one change event');
      const guestsFired = c.api.tree.stats.lastFired.filter((id) => /\/(qemu|lxc)\/\d+$/.test(id));
      assert.deepEqual(guestsFired, [`${c.clusterId}/pve2/qemu/103`], c.api.tree.stats.lastFired.join(" "));
    } finally {
      await vscode.workspace.getConfiguration('proxmox').update('tree.description', undefined, vscode.ConfigurationTarget.Global);
      c.sim.state.setGuestStatus(103, 'stopped');
      await c.session().refresh();
    }
  });

  test('filter by text, status, type and tag; group by tag and pool', async () => {
    c.api.tree.setFilter({ text: 'web', tags: [], states: [], types: [], showTemplates: true });
    let tree = await guestsByNode();
    assert.deepEqual([...tree.values()].flat(), [100]);
    c.api.tree.setFilter({ text: '', tags: [], states: ['stopped'], types: ['lxc'], showTemplates: true });
    tree = await guestsByNode();
    assert.deepEqual([...tree.values()].flat(), [9001, 107]);
    c.api.tree.setFilter({ text: '', tags: [], states: [], types: [], showTemplates: false });
    tree = await guestsByNode();
    assert.ok(![...tree.values()].flat().includes(9000));
    c.api.tree.setFilter({ text: '', tags: [], states: [], types: [], showTemplates: true });

    await vscode.commands.executeCommand('proxmox.clusters.groupBy', 'pool');
    await new Promise((r) => setTimeout(r, 200));
    const [cluster] = (await children(c.api)).filter((n) => n.id === c.clusterId);
    const groups = (await children(c.api, cluster)).map((n) => label(c.api.tree.getTreeItem(n)));
    assert.deepEqual(groups, ['dev', 'prod', '(no pool)']);
    await vscode.commands.executeCommand('proxmox.clusters.groupBy', 'node');
    await new Promise((r) => setTimeout(r, 200));
  });

  test('snapshots are listed only when a guest is expanded, tree-shaped with NOW', async () => {
    const key = [...c.session().index!.guests.values()].find((g) => g.vmid === 102)!.key;
    const guest = c.api.tree.findGuestItem(c.clusterId, key)!;
    c.sim.requests.length = 0;
    const roots = await children(c.api, guest);
    assert.equal(c.sim.requests.filter((r) => r.apiPath?.endsWith('/snapshot')).length, 1, JSON.stringify(c.sim.requests.map((r) => r.apiPath)));
    const shape = async (nodes: TreeNode[]): Promise<unknown[]> =>
      Promise.all(nodes.map(async (n) => {
        const kids = await children(c.api, n);
        const name = label(c.api.tree.getTreeItem(n));
        return kids.length ? { [name]: await shape(kids) } : name;
      }));
    assert.deepEqual(await shape(roots), [{ install: [{ 'pre-upgrade': [{ 'post-upgrade': ['NOW'] }] }, 'experiment'] }]);
  });
});

suite('Connection failures in the tree', () => {
  let c: SimCluster;
  setup(async () => {
    c = await startSimCluster({ clusterId: 'failing' });
  });
  teardown(async () => {
    await c.dispose();
  });

  test('a revoked token: 401, polling pauses, the next step is "Update the API token" (scenario 14)', async () => {
    c.sim.state.revokeToken('automation@pve!canary');
    await c.session().refresh();
    const state = c.session().state;
    assert.ok(state.kind === 'error');
    assert.equal(state.error.reason, 'unauthorized');
    assert.equal(c.session().authPaused, true);
    assert.equal(c.session().isStale, true, 'the previous picture is kept, marked stale');
    const [cluster] = (await children(c.api)).filter((n) => n.id === 'failing');
    const labels = (await children(c.api, cluster)).map((n) => label(c.api.tree.getTreeItem(n)));
    assert.ok(labels.some((l) => /Update the API token/.test(l)), labels.join(' | '));
  });

  test('a changed certificate is a hard failure naming both fingerprints (scenario 2)', async () => {
    const pinned = c.sim.fingerprint;
    await c.sim.rotateCertificate();
    await c.session().reset();
    c.sim.requests.length = 0;
    await c.session().refresh();
    const state = c.session().state;
    assert.equal(state.kind === 'error' ? state.error.tls?.kind : '', 'fingerprintMismatch');
    assert.equal(c.sim.requests.length, 0, 'a request reached the server with the changed certificate');
    const [cluster] = (await children(c.api)).filter((n) => n.id === 'failing');
    const texts = (await children(c.api, cluster)).map((n) => label(c.api.tree.getTreeItem(n))).join('\n');
    assert.ok(texts.includes(pinned) && texts.includes(c.sim.fingerprint), texts);
    assert.ok(/Review the new certificate/.test(texts));
  });
});

suite('Settings from an untrusted place are ignored (scenario 7)', () => {
  test('a workspace-level proxmox.clusters does not add or change clusters', async () => {
    const api = await testApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return assert.fail('the integration host opens a workspace folder');
    const dir = path.join(folder.uri.fsPath, '.vscode');
    const file = path.join(dir, 'settings.json');
    await fs.mkdir(dir, { recursive: true });
    const before = api.manager.sessions.map((s) => s.config.id);
    await fs.writeFile(file, JSON.stringify({ 'proxmox.clusters': [{ id: 'evil', url: 'https://evil.example:8006', tokenId: 'a@b!c' }] }));
    try {
      await new Promise((r) => setTimeout(r, 1500));
      api.manager.reload();
      assert.deepEqual(api.manager.sessions.map((s) => s.config.id), before);
    } finally {
      await fs.rm(file, { force: true });
    }
  });
});
