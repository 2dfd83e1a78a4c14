import * as vscode from 'vscode';
import { Commands, ContextKeys, Views } from './constants';

/** Composition root: build the services, register everything, return. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Proxmox VE', { log: true });
  context.subscriptions.push(log);
  void vscode.commands.executeCommand('setContext', ContextKeys.hasClusters, false);
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider(Views.clusters, { getTreeItem: (e: vscode.TreeItem) => e, getChildren: () => [] as vscode.TreeItem[] }),
    vscode.commands.registerCommand(Commands.showLog, () => { log.show(); }),
    vscode.commands.registerCommand(Commands.addCluster, () => undefined),
    vscode.commands.registerCommand(Commands.refreshClusters, () => undefined),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
