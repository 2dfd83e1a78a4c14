import * as vscode from 'vscode';
import type { ClusterSession } from '../clusters/clusterSession';
import type { GuestEntry } from '../model/clusterIndex';
import { formatBytes, formatDuration, formatPercent } from '../model/format';
import { matchesFilter } from '../model/guestFilter';
import { GuestItem } from './guestItem';
import { nodeIcon } from './icons';
import { StorageFolderItem } from './storageItems';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';
import { untrustedTooltip } from './tooltips';

/** A PVE host ("node" in Proxmox terms) with its guests and, optionally, its storages. */
export class NodeItem implements TreeNode {
  constructor(
    readonly id: string,
    readonly session: ClusterSession,
    readonly node: string,
    private readonly parent: TreeNode,
    private readonly context: TreeContext,
  ) {}

  private get status(): string {
    return this.session.index?.nodes.get(this.node)?.resource.status ?? 'unknown';
  }

  visibleGuests(): GuestEntry[] {
    const guests = this.session.index?.guestsByNode.get(this.node) ?? [];
    return guests.filter((g) => matchesFilter(g, this.context.filter));
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.session.index?.nodes.get(this.node)?.resource;
    const large = this.context.isLargeCluster(this.session);
    const item = new vscode.TreeItem(this.node, large ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = nodeIcon(this.status);
    const guests = this.visibleGuests();
    const running = guests.filter((g) => g.power === 'running').length;
    const parts = [this.status === 'online' ? vscode.l10n.t('{0}/{1} running', running, guests.length) : this.statusLabel()];
    // Live load changes on every refresh; on an expanded node that makes VS Code re-read all of
    // its guests, so large clusters keep it in the tooltip only.
    if (!large && this.status === 'online' && r?.cpu !== undefined) parts.push(vscode.l10n.t('CPU {0}', formatPercent(r.cpu)));
    if (!large && this.status === 'online' && r?.maxmem) parts.push(`${formatBytes(r.mem)}/${formatBytes(r.maxmem)}`);
    item.description = parts.join(' · ');
    item.contextValue = `node;status=${this.status};`;
    return item;
  }

  private statusLabel(): string {
    return this.status === 'offline' ? vscode.l10n.t('offline') : vscode.l10n.t('status unknown');
  }

  getTooltip(): vscode.MarkdownString {
    const r = this.session.index?.nodes.get(this.node)?.resource;
    return untrustedTooltip(this.node, [
      [vscode.l10n.t('Status'), this.status],
      [vscode.l10n.t('Uptime'), r?.uptime ? formatDuration(r.uptime) : undefined],
      [vscode.l10n.t('CPU'), r?.cpu !== undefined ? `${formatPercent(r.cpu)} of ${r.maxcpu ?? '?'}` : undefined],
      [vscode.l10n.t('Memory'), r?.maxmem ? `${formatBytes(r.mem)} / ${formatBytes(r.maxmem)}` : undefined],
      [vscode.l10n.t('Root disk'), r?.maxdisk ? `${formatBytes(r.disk)} / ${formatBytes(r.maxdisk)}` : undefined],
      [vscode.l10n.t('Note'), this.status === 'offline' ? vscode.l10n.t('The node is offline: its guests show as unknown and cannot be acted on.') : undefined],
    ]);
  }

  getChildren(): TreeNode[] {
    const children: TreeNode[] = this.visibleGuests().map((g) =>
      this.context.cached(`${this.id}/${g.key}`, () => new GuestItem(`${this.id}/${g.key}`, this.session, g.key, this, this.context)),
    );
    const storages = this.session.index?.storagesByNode.get(this.node) ?? [];
    if (this.context.settings.showStorage && storages.length > 0) {
      children.push(this.context.cached(`${this.id}/storage`, () => new StorageFolderItem(`${this.id}/storage`, this.session, this.node, this)));
    }
    return children;
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
