import * as vscode from 'vscode';
import { GuestActionRunner } from './actions/guestActionRunner';
import { SnapshotRunner } from './actions/snapshotRunner';
import { Redactor } from './api/redact';
import { ClusterManager } from './clusters/clusterManager';
import { SecretStore } from './clusters/secretStore';
import type { CommandContext } from './commands/commandContext';
import { registerCommands } from './commands/registerCommands';
import { ContextKeys, Settings, Views } from './constants';
import { readEnvImport } from './model/connectionConfig';
import { findOnPath } from './clusters/findExecutable';
import { createTestApi, type TestApi } from './testApi';
import { registerTools } from './tools/registerTools';
import { ClustersTreeProvider } from './tree/clustersTreeProvider';
import { RefreshScheduler } from './tree/refreshScheduler';
import { TasksTreeProvider } from './tree/tasks/tasksTreeProvider';
import { readRefreshInterval, readTreeSettings } from './tree/treeSettings';
import type { TreeNode } from './tree/treeNode';
import { Logger } from './ui/logger';
import { ProxmoxDocumentProvider } from './ui/documents/proxmoxDocumentProvider';
import { SCHEME } from './ui/documents/documentUris';
import { VsCodePrompter } from './ui/prompter';
import { progressLabel } from './tree/labels';
import { RefreshStatusBar } from './ui/statusBar';
import { captureLog } from './ui/logCapture';
import { ShellSessions } from './terminal/shellSessions';

/** Composition root: build the services, register everything, return. Nothing waits on the network. */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const redactor = new Redactor();
  const isTest = context.extensionMode === vscode.ExtensionMode.Test;
  const outputChannel = vscode.window.createOutputChannel('Proxmox VE', { log: true });
  const captured = isTest ? captureLog(outputChannel) : undefined;
  const log = new Logger(captured?.channel ?? outputChannel, redactor);
  const manager = new ClusterManager(new SecretStore(context.secrets), redactor, log);
  const tree = new ClustersTreeProvider(manager, readTreeSettings());
  const treeView = vscode.window.createTreeView<TreeNode>(Views.clusters, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const scheduler = new RefreshScheduler(manager, treeView, readRefreshInterval);
  const prompter = new VsCodePrompter();
  const tasks = new TasksTreeProvider(manager, log);
  const tasksView = vscode.window.createTreeView(Views.tasks, { treeDataProvider: tasks });
  tasks.attach(tasksView);
  const onTask = (target: { session: { config: { id: string } } }, upid: string): void => { tasks.addLocalTask(target.session.config.id, upid); };
  const runner = new GuestActionRunner({
    onBusy: (target, entry, action) => { tree.setBusy(target.session.config.id, entry.key, action ? progressLabel(action) : undefined); },
    onTask,
    log: (message) => { log.info(message); },
  });
  const snapshots = new SnapshotRunner(runner, { onTask, log: (message) => { log.info(message); } });
  const documents = new ProxmoxDocumentProvider(manager, log);
  const shells = new ShellSessions();
  const ctx: CommandContext = { extension: context, manager, tree, treeView, log, redactor, prompter, runner, snapshots, documents, tasks, shells, openExternal: (uri) => vscode.env.openExternal(uri) };

  context.subscriptions.push(
    log,
    manager,
    shells,
    tree,
    treeView,
    scheduler,
    new RefreshStatusBar(manager),
    documents,
    tasks,
    tasksView,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
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
  // Off the activation path: a PATH scan is cheap, but activation waits for nothing.
  setTimeout(() => {
    void findOnPath('pvesh').then((found) => vscode.commands.executeCommand('setContext', ContextKeys.pveshAvailable, found !== undefined));
  }, 0);

  const tools = registerTools(ctx);

  return isTest ? createTestApi(ctx, prompter, tools, captured?.lines) : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
