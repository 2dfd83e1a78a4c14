import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/tree/treeNode';
import { CANARY_SECRET, CANARY_WITH_CRLF, findCanary } from './helpers/canary';
import { testApi } from './helpers/extensionApi';
import { ScriptedPrompter } from './helpers/scriptedPrompter';
import { startSimCluster } from './helpers/simCluster';

/**
 * Runs last (file name): every cluster of this run authenticated with the canary secret. Nothing
 * the extension wrote may contain it in any form (SECURITY.md scenario 25).
 */
suite('Canary: no secret in anything the extension wrote (scenario 25)', () => {
  test('a secret pasted with CR/LF is refused without being echoed', async () => {
    const c = await startSimCluster({ clusterId: 'crlf' });
    try {
      const p = c.usePrompter(new ScriptedPrompter([{ input: c.sim.url }, { input: 'automation@pve!canary' }, { input: undefined }]));
      await vscode.commands.executeCommand('proxmox.cluster.add');
      const secretBox = p.inputs[2];
      assert.ok(secretBox?.password, 'the secret is asked in a password box');
      const problem = secretBox.validate?.(CANARY_WITH_CRLF);
      assert.ok(problem, 'a secret with a line break is refused');
      assert.equal(findCanary(problem, CANARY_WITH_CRLF), undefined);
    } finally {
      await c.dispose();
    }
  });

  test('log channel, documents, notifications, modals, tree, state and settings hold no canary', async () => {
    const api = await testApi();
    const leaks: string[] = [];
    const check = (where: string, text: string): void => {
      for (const secret of [CANARY_SECRET, CANARY_WITH_CRLF]) {
        const found = findCanary(text, secret);
        if (found) leaks.push(`${where}: "${found}"`);
      }
    };
    // The log channel's files (context.logUri).
    let logBytes = 0;
    const walk = (dir: string): void => {
      if (!fs.existsSync(dir)) return;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else {
          const text = fs.readFileSync(file, 'utf8');
          logBytes += text.length;
          check(`log ${entry.name}`, text);
        }
      }
    };
    walk(api.logDirectory);
    assert.ok(logBytes > 1000, `the log channel wrote only ${logBytes} bytes; is the log directory right? ${api.logDirectory}`);
    // Every document VS Code still has open (proxmox: documents, task logs, diffs).
    for (const doc of vscode.workspace.textDocuments) check(`document ${doc.uri.toString()}`, doc.getText());
    // Everything said to the user through the prompter in this run: notifications, errors, modals.
    let said = 0;
    for (const p of ScriptedPrompter.all) {
      for (const n of p.notifications) {
        said++;
        check(`notification`, `${n.message} ${n.actions.join(' ')}`);
      }
      for (const c of p.confirms) {
        said++;
        check('modal', `${c.message}\n${c.detail}\n${c.buttons.join(' ')}`);
      }
      for (const i of p.inputs) check('input box', `${i.title} ${i.prompt} ${i.value ?? ''} ${i.placeHolder ?? ''}`);
    }
    assert.ok(said > 50, `only ${said} messages were captured`);
    // State and settings.
    check('globalState/workspaceState', api.stateValues());
    check('settings', JSON.stringify(vscode.workspace.getConfiguration('proxmox')));
    // A live tree against a canary-authenticated cluster, every item rendered with its tooltip.
    const c = await startSimCluster({ clusterId: 'canary-tree' });
    try {
      const render = async (node?: TreeNode): Promise<void> => {
        const kids = await Promise.resolve(api.tree.getChildren(node));
        for (const kid of kids) {
          const item = api.tree.resolveTreeItem(api.tree.getTreeItem(kid), kid);
          const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
          check(`tree ${kid.id}`, `${JSON.stringify(item.label)} ${String(item.description)} ${tooltip} ${item.contextValue ?? ''}`);
          if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None) await render(kid);
        }
      };
      await render();
      // And a failure: errors must not carry the secret either.
      c.sim.state.revokeToken('automation@pve!canary');
      await c.session().refresh();
      const state = c.session().state;
      check('error state', state.kind === 'error' ? `${state.error.message} ${JSON.stringify(state.error)}` : '');
      await render();
    } finally {
      await c.dispose();
    }
    walk(api.logDirectory);
    assert.deepEqual(leaks, [], `the canary leaked:\n${leaks.join('\n')}`);
    console.log(`canary scan: ${logBytes} log bytes, ${vscode.workspace.textDocuments.length} documents, ${said} messages, 0 leaks`);
  });
});
