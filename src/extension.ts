import * as vscode from 'vscode';
import { Redactor } from './api/redact';
import { ClusterManager } from './clusters/clusterManager';
import { SecretStore } from './clusters/secretStore';
import type { CommandContext } from './commands/commandContext';
import { registerCommands } from './commands/registerCommands';
import { ContextKeys, Settings, Views } from './constants';
import { readEnvImport } from './model/connectionConfig';
import { createTestApi, type TestApi } from './testApi';
import { ClustersTreeProvider } from './tree/clustersTreeProvider';
import { RefreshScheduler } from './tree/refreshScheduler';
import { readRefreshInterval, readTreeSettings } from './tree/treeSettings';
import type { TreeNode } from './tree/treeNode';
import { Logger } from './ui/logger';
import { VsCodePrompter } from './ui/prompter';
import { RefreshStatusBar } from './ui/statusBar';

/** Composition root: build the services, register everything, return. Nothing waits on the network. */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const redactor = new Redactor();
  const log = new Logger(vscode.window.createOutputChannel('Proxmox VE', { log: true }), redactor);
  const manager = new ClusterManager(new SecretStore(context.secrets), redactor, log);
  const tree = new ClustersTreeProvider(manager, readTreeSettings());
  const treeView = vscode.window.createTreeView<TreeNode>(Views.clusters, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const scheduler = new RefreshScheduler(manager, treeView, readRefreshInterval);
  const prompter = new VsCodePrompter();
  const ctx: CommandContext = { extension: context, manager, tree, treeView, log, redactor, prompter };

  context.subscriptions.push(
    log,
    manager,
    tree,
    treeView,
    scheduler,
    new RefreshStatusBar(manager),
    ...registerCommands(ctx),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${Settings.section}.tree`)) {
        tree.settings = readTreeSettings();
        tree.refreshAll();
      }
      if (event.affectsConfiguration(`${Settings.section}.${Settings.refreshInterval}`)) scheduler.restart();
    }),
  );
  void vscode.commands.executeCommand('setContext', ContextKeys.envImportAvailable, readEnvImport(process.env)?.ok === true);

  return context.extensionMode === vscode.ExtensionMode.Test ? createTestApi(ctx, prompter) : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
