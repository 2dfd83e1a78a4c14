import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VIEW_CONTAINER_ID, Views } from '../../src/constants';
import { contributedCommands, getExtension, getManifest } from './manifest';

suite('Activation', () => {
  suiteSetup(async () => {
    await getExtension().activate();
  });

  test('the extension is active', () => {
    assert.equal(getExtension().isActive, true);
  });

  test('every command in contributes.commands is registered', async () => {
    const contributed = contributedCommands(getManifest());
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered by activate()');
  });

  test('the Proxmox view container and the Clusters view can be opened', async () => {
    // Both reject with "command not found" if the container or view id is not what VS Code registered.
    await vscode.commands.executeCommand(`workbench.view.extension.${VIEW_CONTAINER_ID}`);
    await vscode.commands.executeCommand(`${Views.clusters}.focus`);
  });
});
