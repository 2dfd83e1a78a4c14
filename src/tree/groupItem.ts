import * as vscode from 'vscode';
import type { ClusterSession } from '../clusters/clusterSession';
import type { GuestEntry } from '../model/clusterIndex';
import { groupKeys, matchesFilter, type Grouping } from '../model/guestFilter';
import { GuestItem } from './guestItem';
import { Icons } from './icons';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';

/** A tag or pool grouping; a guest with two tags appears under both. */
export class GroupItem implements TreeNode {
  constructor(
    readonly id: string,
    readonly session: ClusterSession,
    private readonly grouping: Exclude<Grouping, 'node'>,
    private readonly key: string,
    private readonly parent: TreeNode,
    private readonly context: TreeContext,
  ) {}

  private guests(): GuestEntry[] {
    const all = this.session.index?.guests.values() ?? [];
    return [...all]
      .filter((g) => matchesFilter(g, this.context.filter) && groupKeys(g, this.grouping).includes(this.key))
      .sort((a, b) => a.vmid - b.vmid);
  }

  getTreeItem(): vscode.TreeItem {
    const label = this.key !== '' ? this.key : this.grouping === 'tag' ? vscode.l10n.t('(no tag)') : vscode.l10n.t('(no pool)');
    const item = new vscode.TreeItem(label, this.context.isLargeCluster(this.session) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = this.grouping === 'tag' ? Icons.tag() : Icons.pool();
    item.description = String(this.guests().length);
    item.contextValue = `group;by=${this.grouping};`;
    return item;
  }

  getChildren(): TreeNode[] {
    return this.guests().map((g) => this.context.cached(`${this.id}/${g.key}`, () => new GuestItem(`${this.id}/${g.key}`, this.session, g.key, this, this.context)));
  }

  getParent(): TreeNode {
    return this.parent;
  }
}
