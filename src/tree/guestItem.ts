import * as vscode from 'vscode';
import type { Snapshot } from '../api/schemas/guest';
import type { ClusterSession } from '../clusters/clusterSession';
import type { GuestEntry } from '../model/clusterIndex';
import { guestContextValue } from '../model/contextValue';
import { formatBytes, formatDuration, formatPercent } from '../model/format';
import { blockingLock, isHaManaged } from '../model/guestState';
import { buildSnapshotTree } from '../model/snapshotTree';
import { guestIcon } from './icons';
import { guestDisplayName, powerLabel, typeLabel, typeLongLabel } from './labels';
import { MessageItem } from './messageItem';
import { SnapshotItem } from './snapshotItem';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';
import { untrustedTooltip } from './tooltips';
import { Icons } from './icons';

/** A QEMU VM or LXC container. Reads its facts from the session's latest picture at render time. */
export class GuestItem implements TreeNode {
  private snapshotCache: Snapshot[] | undefined;
  private snapshotError: string | undefined;

  constructor(
    readonly id: string,
    readonly session: ClusterSession,
    readonly key: string,
    private readonly parent: TreeNode,
    private readonly context: TreeContext,
  ) {}

  /** The current facts, or the last known ones if the guest vanished between refreshes. */
  get entry(): GuestEntry | undefined {
    return this.session.index?.guests.get(this.key) ?? this.lastEntry;
  }
  private lastEntry: GuestEntry | undefined;

  getTreeItem(): vscode.TreeItem {
    const entry = this.entry;
    if (!entry) return new vscode.TreeItem(this.key);
    this.lastEntry = entry;
    const r = entry.resource;
    const busy = this.context.busyLabel(this.session.config.id, entry.key);
    const collapsible = entry.power === 'unknown' || r.template ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(guestDisplayName(entry.type, entry.vmid, entry.name), collapsible);
    item.id = this.id;
    item.description = busy ?? this.describe(entry);
    item.iconPath = guestIcon({
      type: entry.type,
      power: entry.power,
      locked: blockingLock(r) !== undefined,
      template: r.template === true,
      ha: isHaManaged(r),
      busy: busy !== undefined,
    });
    const facts = { type: entry.type, status: r.status, lock: r.lock, template: r.template, hastate: r.hastate };
    item.contextValue = busy
      ? `guest;type=${entry.type};status=${entry.power};busy;`
      : guestContextValue(facts, (action) => this.context.isAllowed(this.session, entry.vmid, r.pool, action));
    item.accessibilityInformation = {
      label: `${guestDisplayName(entry.type, entry.vmid, entry.name)}, ${typeLongLabel(entry.type)} ${entry.vmid}, ${powerLabel(entry.power)}`,
    };
    return item;
  }

  private describe(entry: GuestEntry): string {
    const r = entry.resource;
    const parts: string[] = [];
    for (const field of this.context.settings.description) {
      switch (field) {
        case 'vmid':
          parts.push(`${typeLabel(entry.type)} ${entry.vmid}`);
          break;
        case 'cpu':
          if (entry.power === 'running') parts.push(vscode.l10n.t('CPU {0}', formatPercent(r.cpu)));
          break;
        case 'memory':
          if (entry.power === 'running' && r.maxmem) parts.push(`${formatBytes(r.mem)}/${formatBytes(r.maxmem)}`);
          break;
        case 'uptime':
          if (entry.power === 'running' && r.uptime) parts.push(vscode.l10n.t('up {0}', formatDuration(r.uptime)));
          break;
        case 'tags':
          if (entry.tags.length > 0) parts.push(entry.tags.join(', '));
          break;
      }
    }
    if (entry.power !== 'running' && entry.power !== 'stopped') parts.push(powerLabel(entry.power));
    const lock = blockingLock(r);
    if (lock) parts.push(vscode.l10n.t('locked ({0})', lock));
    if (isHaManaged(r)) parts.push('HA');
    return parts.join(' · ');
  }

  getTooltip(): vscode.MarkdownString | undefined {
    const entry = this.entry;
    if (!entry) return undefined;
    const r = entry.resource;
    return untrustedTooltip(`${guestDisplayName(entry.type, entry.vmid, entry.name)} (${typeLongLabel(entry.type)} ${entry.vmid})`, [
      [vscode.l10n.t('Node'), entry.node],
      [vscode.l10n.t('Status'), r.status === powerLabel(entry.power) ? r.status : `${powerLabel(entry.power)} (${r.status})`],
      [vscode.l10n.t('Uptime'), entry.power === 'running' ? formatDuration(r.uptime) : undefined],
      [vscode.l10n.t('CPU'), entry.power === 'running' ? `${formatPercent(r.cpu)} of ${r.maxcpu ?? '?'}` : undefined],
      [vscode.l10n.t('Memory'), r.maxmem ? `${formatBytes(r.mem)} / ${formatBytes(r.maxmem)}` : undefined],
      [vscode.l10n.t('Disk'), r.maxdisk ? formatBytes(r.maxdisk) : undefined],
      [vscode.l10n.t('Lock'), r.lock],
      [vscode.l10n.t('HA state'), r.hastate],
      [vscode.l10n.t('Tags'), entry.tags.join(', ')],
      [vscode.l10n.t('Pool'), r.pool],
      [vscode.l10n.t('Template'), r.template ? vscode.l10n.t('yes') : undefined],
      [vscode.l10n.t('Stale'), this.session.isStale ? vscode.l10n.t('data from the last successful refresh') : undefined],
    ]);
  }

  /** Snapshots are fetched only when the guest is expanded, then kept until invalidated. */
  async getChildren(signal: AbortSignal): Promise<TreeNode[]> {
    const entry = this.entry;
    if (!entry || entry.power === 'unknown') return [];
    if (this.snapshotCache === undefined) {
      try {
        const client = await this.session.client();
        this.snapshotCache = await client.snapshots({ node: entry.node, type: entry.type, vmid: entry.vmid }, signal);
        this.snapshotError = undefined;
      } catch (error) {
        this.snapshotError = error instanceof Error ? error.message : String(error);
        return [new MessageItem(`${this.id}/snapshots-error`, this, vscode.l10n.t('Cannot list snapshots: {0}', this.snapshotError), Icons.error())];
      }
    }
    const roots = buildSnapshotTree(this.snapshotCache);
    return roots.map((node) => this.context.cached(`${this.id}/snap/${node.snapshot.name}`, () => new SnapshotItem(this, node)).update(node));
  }

  get snapshots(): readonly Snapshot[] | undefined {
    return this.snapshotCache;
  }

  invalidateSnapshots(): void {
    this.snapshotCache = undefined;
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
