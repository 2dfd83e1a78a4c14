import * as vscode from 'vscode';
import type { TreeNode } from './treeNode';

/** A line of state or error inside the tree (never a modal on refresh, STYLE.md). */
export class MessageItem implements TreeNode {
  constructor(
    readonly id: string,
    private readonly parent: TreeNode | undefined,
    private readonly label: string,
    private readonly icon: vscode.ThemeIcon,
    private readonly command?: vscode.Command,
    private readonly tooltip?: string,
    private readonly contextValue = 'message;',
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.icon;
    item.contextValue = this.contextValue;
    if (this.command) item.command = this.command;
    if (this.tooltip) item.tooltip = this.tooltip;
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }

  getParent(): TreeNode | undefined {
    return this.parent;
  }
}
