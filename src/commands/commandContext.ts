import type * as vscode from 'vscode';
import type { GuestActionRunner } from '../actions/guestActionRunner';
import type { SnapshotRunner } from '../actions/snapshotRunner';
import type { Redactor } from '../api/redact';
import type { ClusterManager } from '../clusters/clusterManager';
import type { ClustersTreeProvider } from '../tree/clustersTreeProvider';
import type { TreeNode } from '../tree/treeNode';
import type { TasksTreeProvider } from '../tree/tasks/tasksTreeProvider';
import type { Logger } from '../ui/logger';
import type { ProxmoxDocumentProvider } from '../ui/documents/proxmoxDocumentProvider';
import type { Prompter } from '../ui/prompter';
import type { ShellSessions } from '../terminal/shellSessions';

/** What command handlers receive; built once in extension.ts (no globals, STYLE.md). */
export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly manager: ClusterManager;
  readonly tree: ClustersTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly log: Logger;
  readonly redactor: Redactor;
  readonly runner: GuestActionRunner;
  readonly snapshots: SnapshotRunner;
  readonly documents: ProxmoxDocumentProvider;
  readonly tasks: TasksTreeProvider;
  /** Replaceable only in ExtensionMode.Test, so integration tests can answer the questions. */
  prompter: Prompter;
  /** Terminals opened by "Open Shell". */
  readonly shells: ShellSessions;
  /** `vscode.env.openExternal`; replaceable only in ExtensionMode.Test to check the exact URL. */
  openExternal: (uri: vscode.Uri) => Thenable<boolean>;
}
