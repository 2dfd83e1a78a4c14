import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/tree/treeNode';
import { testApi } from './helpers/extensionApi';
import { ScriptedPrompter } from './helpers/scriptedPrompter';
import { startSimCluster, writes, type SimCluster } from './helpers/simCluster';

/** SECURITY.md scenarios that need the extension host: trust, timeouts, slowness, ambiguous writes. */
function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

async function rootLabels(): Promise<string[]> {
  const api = await testApi();
  const roots = await Promise.resolve(api.tree.getChildren(undefined));
  return roots.map((n: TreeNode) => label(api.tree.getTreeItem(n)));
}

async function clusterChildLabels(c: SimCluster): Promise<string[]> {
  const roots = await Promise.resolve(c.api.tree.getChildren(undefined));
  const cluster = roots.find((n) => n.id === c.clusterId);
  assert.ok(cluster);
  const kids = await Promise.resolve(c.api.tree.getChildren(cluster));
  return kids.map((n) => label(c.api.tree.getTreeItem(n)));
}

suite('Reliability: trust', () => {
  test('legitimate rotation: re-confirm, then the old sockets are dropped (scenario 3)', async () => {
    const c = await startSimCluster({ clusterId: 'rotate' });
    try {
      const old = c.sim.fingerprint;
      await c.sim.rotateCertificate();
      c.sim.dropConnections();
      await c.session().refresh();
      const state = c.session().state;
      assert.ok(state.kind === 'error' && state.error.tls?.kind === 'fingerprintMismatch');
      const p = c.usePrompter(new ScriptedPrompter([{ confirm: 'Trust and Pin', expect: /has CHANGED/ }]));
      await vscode.commands.executeCommand('proxmox.cluster.trustCertificate', c.clusterId);
      assert.deepEqual(p.problems, []);
      const modal = p.confirms[0]!;
      assert.ok(modal.detail.includes(old) && modal.detail.includes(c.sim.fingerprint), 'both fingerprints are shown');
      const entry = (vscode.workspace.getConfiguration('proxmox').inspect<{ id: string; fingerprint?: string }[]>('clusters')?.globalValue ?? []).find((e) => e.id === 'rotate');
      assert.equal(entry?.fingerprint, c.sim.fingerprint, 'the new fingerprint is pinned');
      assert.equal(c.session().state.kind, 'ready');
    } finally {
      await c.dispose();
    }
  });

  test('a malformed or SHA-1 pin in settings is refused with a clear message, nothing sent (scenario 5)', async () => {
    const api = await testApi();
    const config = vscode.workspace.getConfiguration('proxmox');
    const before = config.inspect<unknown[]>('clusters')?.globalValue ?? [];
    await config.update('clusters', [...before, { id: 'sha1', url: 'https://127.0.0.1:9', tokenId: 'a@pve!b', fingerprint: 'AB:'.repeat(19) + 'AB' }, { id: 'junk', url: 'https://127.0.0.1:9', tokenId: 'a@pve!b', fingerprint: 'not-a-fingerprint' }], vscode.ConfigurationTarget.Global);
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(api.manager.get('sha1'), undefined);
      assert.equal(api.manager.get('junk'), undefined);
      const labels = await rootLabels();
      assert.ok(labels.some((l) => /SHA-1 is not accepted; use the SHA-256 fingerprint/.test(l)), labels.join(' | '));
      assert.ok(labels.some((l) => /invalid "fingerprint" \(malformed\)/.test(l)), labels.join(' | '));
    } finally {
      await config.update('clusters', before.length ? before : undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

suite('Reliability: slow and silent servers', () => {
  test('a server that never answers: timeout, marked unreachable, backed off (scenario 8)', async () => {
    await vscode.workspace.getConfiguration('proxmox').update('requestTimeoutSeconds', 4, vscode.ConfigurationTarget.Global);
    const c = await startSimCluster({ clusterId: 'silent' });
    try {
      c.sim.faults.add({ method: 'GET', path: '/cluster/resources', action: { kind: 'hang' } });
      const started = Date.now();
      await c.session().refresh();
      const took = Date.now() - started;
      const state = c.session().state;
      assert.ok(state.kind === 'error' && state.error.reason === 'timeout', JSON.stringify(state));
      assert.ok(took >= 3500 && took < 12_000, `gave up after ${took} ms`);
      assert.equal(c.session().isStale, true, 'the last picture is kept, marked stale');
      // The scheduler waits at least 3 s + 2 × the last request time before the next attempt.
      assert.ok(c.session().lastDurationMs >= 3500);
      const labels = await clusterChildLabels(c);
      assert.ok(labels.some((l) => /^Stale \(last refresh .*\): The server did not answer in time\./.test(l)), labels.join(' | '));
    } finally {
      c.sim.faults.clear();
      await vscode.workspace.getConfiguration('proxmox').update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await c.dispose();
    }
  });

  test('a very slow answer: the previous tree stays, marked stale; polls never overlap (scenario 9)', async function () {
    this.timeout(40_000);
    const c = await startSimCluster({ clusterId: 'slow' });
    try {
      c.sim.faults.add({ method: 'GET', path: '/cluster/resources', action: { kind: 'latency', ms: 7000 } });
      c.sim.requests.length = 0;
      const first = c.session().refresh();
      // Manual refreshes while one is in flight join it instead of sending another request.
      const joined = [c.session().refresh(), c.session().refresh()];
      await new Promise((r) => setTimeout(r, 5600));
      assert.equal(c.session().isStale, true, 'stale once the answer is 5 s late');
      assert.ok(c.session().index && c.session().index!.guests.size > 0, 'the previous picture is still there');
      const [cluster] = (await Promise.resolve(c.api.tree.getChildren(undefined))).filter((n) => n.id === 'slow');
      assert.match(String(c.api.tree.getTreeItem(cluster!).description), /stale since/);
      await Promise.all([first, ...joined]);
      assert.equal(c.sim.requests.filter((r) => r.apiPath === '/cluster/resources').length, 1, 'overlapping polls');
      assert.equal(c.session().isStale, false);
    } finally {
      c.sim.faults.clear();
      await c.dispose();
    }
  });
});

suite('Reliability: ambiguous writes', () => {
  test('a reset after the stop was applied: not resent, state re-read, outcome unknown (scenario 11)', async () => {
    const c = await startSimCluster({ clusterId: 'ambiguous' });
    try {
      c.sim.faults.add({ method: 'POST', path: /\/status\/stop$/, times: 1, action: { kind: 'resetAfter' } });
      const p = c.usePrompter(new ScriptedPrompter([{ confirm: 'Stop' }]));
      await vscode.commands.executeCommand('proxmox.guest.stop', { clusterId: 'ambiguous', vmid: 102 });
      assert.deepEqual(p.problems, []);
      assert.equal(writes(c.sim).length, 1, 'the stop was sent exactly once');
      const report = p.notifications.at(-1)!;
      assert.equal(report.severity, 'warning');
      assert.match(report.message, /The connection broke after the request was sent, so it was not repeated\. VM 102 db01 on pve1: running → (stopped|running)/);
    } finally {
      c.sim.faults.clear();
      await c.dispose();
    }
  });
});

suite('Reliability: server text is text (scenario 24)', () => {
  test('markup in names, tags and descriptions reaches tooltips escaped, untrusted, without HTML', async () => {
    const c = await startSimCluster({ clusterId: 'markup' });
    try {
      c.sim.state.setGuestConfig(110, { name: 'x](command:workbench.action.quit)', tags: 'a<img src=x onerror=alert(1)>' });
      await c.session().refresh();
      const entry = c.session().findGuest(110)!;
      const node = c.api.tree.findGuestItem('markup', entry.key)!;
      const tooltip = c.api.tree.resolveTreeItem(c.api.tree.getTreeItem(node), node).tooltip as vscode.MarkdownString;
      assert.equal(tooltip.isTrusted, false);
      assert.equal(tooltip.supportHtml, false);
      // Escaped by appendText: no live link target, no raw tag.
      assert.doesNotMatch(tooltip.value, /\]\(command:/);
      assert.doesNotMatch(tooltip.value, /<img/);
      assert.match(tooltip.value, /command:workbench\\\.action\\\.quit/, 'the text itself is still shown, escaped');
      assert.match(tooltip.value, /a&lt;img, src=x, onerror=alert\\\(1\\\)&gt;/);
    } finally {
      await c.dispose();
    }
  });
});
