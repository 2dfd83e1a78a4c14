import * as vscode from 'vscode';
import type { StorageResource } from '../api/schemas/resources';
import type { ClusterSession } from '../clusters/clusterSession';
import { formatBytes, formatPercent } from '../model/format';
import { Icons } from './icons';
import type { TreeNode } from './treeNode';
import { untrustedTooltip } from './tooltips';

/** A node's storages, read-only, from the same `/cluster/resources` answer. */
export class StorageFolderItem implements TreeNode {
  constructor(
    readonly id: string,
    private readonly session: ClusterSession,
    private readonly node: string,
    private readonly parent: TreeNode,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Storage'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = Icons.storageFolder();
    item.contextValue = 'storageFolder;';
    item.description = String(this.session.index?.storagesByNode.get(this.node)?.length ?? 0);
    return item;
  }

  getChildren(): TreeNode[] {
    return (this.session.index?.storagesByNode.get(this.node) ?? []).map((s) => new StorageItem(`${this.id}/${s.storage}`, this.session, s, this));
  }

  getParent(): TreeNode {
    return this.parent;
  }
}

export class StorageItem implements TreeNode {
  constructor(
    readonly id: string,
    readonly session: ClusterSession,
    readonly storage: StorageResource,
    private readonly parent: TreeNode,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const s = this.storage;
    const item = new vscode.TreeItem(s.storage, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const available = s.status === 'available';
    item.iconPath = Icons.storage(available);
    const parts: string[] = [];
    if (s.maxdisk) parts.push(`${formatPercent((s.disk ?? 0) / s.maxdisk)} · ${formatBytes(s.disk)}/${formatBytes(s.maxdisk)}`);
    if (s.plugintype) parts.push(s.plugintype);
    if (s.shared) parts.push(vscode.l10n.t('shared'));
    if (!available) parts.push(s.status);
    item.description = parts.join(' · ');
    item.contextValue = `storage;status=${s.status};`;
    return item;
  }

  getTooltip(): vscode.MarkdownString {
    const s = this.storage;
    return untrustedTooltip(s.storage, [
      [vscode.l10n.t('Node'), s.node],
      [vscode.l10n.t('Type'), s.plugintype],
      [vscode.l10n.t('Status'), s.status],
      [vscode.l10n.t('Content'), s.content],
      [vscode.l10n.t('Usage'), s.maxdisk ? `${formatBytes(s.disk)} / ${formatBytes(s.maxdisk)}` : undefined],
      [vscode.l10n.t('Shared'), s.shared ? vscode.l10n.t('yes') : vscode.l10n.t('no')],
    ]);
  }

  getChildren(): TreeNode[] {
    return [];
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
