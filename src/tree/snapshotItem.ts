import * as vscode from 'vscode';
import { snapshotContextValue } from '../model/contextValue';
import { formatTimestamp } from '../model/format';
import type { SnapshotNode } from '../model/snapshotTree';
import type { GuestItem } from './guestItem';
import { Icons } from './icons';
import type { TreeNode } from './treeNode';
import { untrustedTooltip } from './tooltips';

/** A snapshot, or the live "NOW" position (`current`), placed under its parent snapshot. */
export class SnapshotItem implements TreeNode {
  readonly id: string;
  private node: SnapshotNode;

  constructor(
    readonly guest: GuestItem,
    node: SnapshotNode,
    private readonly parent: TreeNode = guest,
  ) {
    this.node = node;
    this.id = `${guest.id}/snap/${node.snapshot.name}`;
  }

  update(node: SnapshotNode): this {
    this.node = node;
    return this;
  }

  get name(): string {
    return this.node.snapshot.name;
  }

  get isCurrent(): boolean {
    return this.node.isCurrent;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.node.snapshot;
    const collapsible = this.node.children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
    const entry = this.guest.entry;
    if (this.node.isCurrent) {
      const item = new vscode.TreeItem(vscode.l10n.t('NOW'), collapsible);
      item.id = this.id;
      item.description = vscode.l10n.t('current state');
      item.iconPath = Icons.snapshotCurrent();
      item.contextValue = 'snapshot-current;';
      return item;
    }
    const item = new vscode.TreeItem(s.name, collapsible);
    item.id = this.id;
    const parts = [formatTimestamp(s.snaptime)];
    if (s.vmstate) parts.push(vscode.l10n.t('with RAM'));
    if (s.snapstate) parts.push(s.snapstate);
    if (s.description) parts.push(s.description.split('\n')[0] ?? '');
    item.description = parts.join(' · ');
    item.iconPath = Icons.snapshot(s.vmstate === true);
    item.contextValue = entry
      ? snapshotContextValue({ type: entry.type, status: entry.resource.status, lock: entry.resource.lock, template: entry.resource.template }, false)
      : 'snapshot;';
    return item;
  }

  getTooltip(): vscode.MarkdownString {
    const s = this.node.snapshot;
    return untrustedTooltip(s.name, [
      [vscode.l10n.t('Taken'), formatTimestamp(s.snaptime)],
      [vscode.l10n.t('Includes RAM'), s.vmstate ? vscode.l10n.t('yes') : undefined],
      [vscode.l10n.t('Parent'), s.parent],
      [vscode.l10n.t('State'), s.snapstate],
      [vscode.l10n.t('Description'), s.description],
    ]);
  }

  getChildren(): TreeNode[] {
    return this.node.children.map((child) => new SnapshotItem(this.guest, child, this));
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
