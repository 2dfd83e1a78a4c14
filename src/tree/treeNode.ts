import type * as vscode from 'vscode';

/**
 * One element of the Proxmox tree. The provider only delegates to these (STYLE.md): each kind
 * renders itself, lists its children and knows its parent, so `reveal` works.
 */
export interface TreeNode {
  /** Stable across refreshes: `${clusterId}/${node}/${type}/${vmid}` for a guest grouped by node. */
  readonly id: string;
  getTreeItem(): vscode.TreeItem;
  getChildren(signal: AbortSignal): TreeNode[] | Promise<TreeNode[]>;
  getParent(): TreeNode | undefined;
  /** Built on hover only (`resolveTreeItem`), so refreshes stay cheap. */
  getTooltip?(): vscode.MarkdownString | string | undefined;
}
