import * as vscode from 'vscode';
import type { GuestAction } from '../api/client';
import type { ClusterManager } from '../clusters/clusterManager';
import type { ClusterSession, SessionChange } from '../clusters/clusterSession';
import { ACTION_RULES, SNAPSHOT_RULES, type SnapshotAction } from '../model/actionPolicy';
import { EMPTY_FILTER, matchesFilter, type GuestFilter } from '../model/guestFilter';
import { guestAclPaths, hasAllPrivileges } from '../model/permissionCheck';
import { ClusterItem } from './clusterItem';
import { GuestItem } from './guestItem';
import { MessageItem } from './messageItem';
import type { TreeContext, TreeSettings } from './treeContext';
import type { TreeNode } from './treeNode';

/**
 * The Clusters view. Items are cached by id; after a refresh only the items whose rendering
 * changed are reported to VS Code, and the cluster's subtree only when its shape changed.
 */
export class ClustersTreeProvider implements vscode.TreeDataProvider<TreeNode>, TreeContext, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  private readonly cache = new Map<string, TreeNode>();
  private readonly rendered = new Map<string, string>();
  private readonly shapes = new Map<string, string>();
  private readonly busy = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** How many change events were fired and for how many items: read by benchmarks and tests. */
  readonly stats = { events: 0, itemsFired: 0, fullRefreshes: 0, lastFired: [] as string[] };

  settings: TreeSettings;
  private userFilter: GuestFilter = EMPTY_FILTER;

  /** The filter the user set, with templates hidden when the `tree.showTemplates` setting says so. */
  get filter(): GuestFilter {
    return this.settings.showTemplates ? this.userFilter : { ...this.userFilter, showTemplates: false };
  }

  /** What the user chose in "Filter…", without the settings applied. */
  get chosenFilter(): GuestFilter {
    return this.userFilter;
  }

  constructor(
    private readonly manager: ClusterManager,
    settings: TreeSettings,
  ) {
    this.settings = settings;
    this.disposables.push(
      manager.onDidChangeSessions(() => {
        this.cache.clear();
        this.rendered.clear();
        this.shapes.clear();
        this.fire(undefined);
      }),
      manager.onDidChangeSession((change) => { this.onSessionChange(change); }),
    );
  }

  // ---- TreeContext -------------------------------------------------------------------------

  busyLabel(clusterId: string, guestKey: string): string | undefined {
    return this.busy.get(`${clusterId}/${guestKey}`);
  }

  cached<T extends TreeNode>(id: string, create: () => T): T {
    let node = this.cache.get(id) as T | undefined;
    if (!node) {
      node = create();
      this.cache.set(id, node);
    }
    return node;
  }

  isAllowed(session: ClusterSession, vmid: number, pool: string | undefined, action: GuestAction | `snapshot.${SnapshotAction}`): boolean {
    const permissions = session.permissions;
    if (!permissions) return true; // unknown: keep the action; the server decides and a 403 explains
    // Rendering 10,000 guests asks this 10 times per guest: remember the answers per permissions object.
    let memo = this.allowedMemo.get(permissions);
    if (!memo) this.allowedMemo.set(permissions, (memo = new Map<string, boolean>()));
    const key = `${vmid}|${pool ?? ''}|${action}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const privileges = action.startsWith('snapshot.') ? SNAPSHOT_RULES[action.slice(9) as SnapshotAction].privileges : ACTION_RULES[action as GuestAction].privileges;
    const { path, extra } = guestAclPaths(vmid, pool);
    const allowed = hasAllPrivileges(permissions, path, privileges, extra);
    memo.set(key, allowed);
    return allowed;
  }

  private readonly allowedMemo = new WeakMap<object, Map<string, boolean>>();

  /** Large clusters open with their nodes collapsed, so VS Code asks only for what is shown. */
  isLargeCluster(session: ClusterSession): boolean {
    return (session.index?.guests.size ?? 0) > LARGE_CLUSTER_GUESTS;
  }

  // ---- TreeDataProvider --------------------------------------------------------------------

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.getTreeItem();
    this.rendered.set(node.id, signature(item));
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const tooltip = node.getTooltip?.();
    if (tooltip !== undefined) item.tooltip = tooltip;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (!node) {
      // A refused settings entry (e.g. a SHA-1 or malformed pin) is said in the tree, not dropped silently.
      const problems: TreeNode[] = this.manager.problems.map((problem, i) => new MessageItem(`settings-problem-${i}`, undefined, vscode.l10n.t('Settings: {0}', problem), new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')), { title: '', command: 'workbench.action.openSettingsJson' }, problem, 'message;settingsProblem;'));
      return [...problems, ...this.manager.sessions.map((session) => {
        this.shapes.set(session.config.id, shapeOf(session, this));
        return this.cached(session.config.id, () => new ClusterItem(session, this));
      })];
    }
    if (node instanceof ClusterItem) this.shapes.set(node.id, shapeOf(node.session, this));
    return node.getChildren(new AbortController().signal);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.getParent();
  }

  // ---- changes -----------------------------------------------------------------------------

  /** Marks a guest busy ("stopping…") or idle again, re-rendering every item that shows it. */
  setBusy(clusterId: string, guestKey: string, label: string | undefined): void {
    const key = `${clusterId}/${guestKey}`;
    if (label === undefined) this.busy.delete(key);
    else this.busy.set(key, label);
    this.fire(this.guestItems(clusterId, guestKey));
  }

  /** Every cached item showing that guest (two under tag grouping when it has two tags). */
  guestItems(clusterId: string, guestKey: string): GuestItem[] {
    const out: GuestItem[] = [];
    for (const node of this.cache.values()) {
      if (node instanceof GuestItem && node.session.config.id === clusterId && node.key === guestKey) out.push(node);
    }
    return out;
  }

  findGuestItem(clusterId: string, guestKey: string): GuestItem | undefined {
    const session = this.manager.get(clusterId);
    const entry = session?.index?.guests.get(guestKey);
    if (!session || !entry) return undefined;
    const existing = this.guestItems(clusterId, guestKey)[0];
    if (existing) return existing;
    // Not rendered yet: build the chain so `reveal` can walk up from it.
    const cluster = this.cached(clusterId, () => new ClusterItem(session, this));
    const parents = cluster.getChildren();
    for (const parent of parents) {
      const child = (parent.getChildren(new AbortController().signal) as TreeNode[]).find((c) => c instanceof GuestItem && c.key === guestKey);
      if (child instanceof GuestItem) return child;
    }
    return undefined;
  }

  /** Snapshot lists are re-read on the next expand (after a manual refresh or a snapshot action). */
  invalidateSnapshots(clusterId: string, guestKey?: string): void {
    for (const node of this.cache.values()) {
      if (node instanceof GuestItem && node.session.config.id === clusterId && (guestKey === undefined || node.key === guestKey)) {
        node.invalidateSnapshots();
        if (guestKey !== undefined) this.fire(node);
      }
    }
  }

  /** Re-renders everything (settings, grouping or filter changed). */
  refreshAll(): void {
    this.cache.clear();
    this.rendered.clear();
    this.shapes.clear();
    this.stats.fullRefreshes++;
    this.fire(undefined);
  }

  setFilter(filter: GuestFilter): void {
    this.userFilter = filter;
    this.refreshAll();
  }

  private onSessionChange(change: SessionChange): void {
    const id = change.session.config.id;
    const clusterItem = this.cache.get(id);
    if (!clusterItem) {
      this.fire(undefined);
      return;
    }
    const shape = shapeOf(change.session, this);
    if (shape !== this.shapes.get(id)) {
      this.shapes.set(id, shape);
      this.fire(clusterItem);
      return;
    }
    const changed: TreeNode[] = [];
    // Without new data (a refresh starting, or failing again for the same reason) only the cluster
    // item can look different: re-rendering every item to compare cost ~0.4 s per refresh at
    // 10,000 guests (bench/host/scale.bench.ts).
    const candidates: Iterable<[string, TreeNode]> = change.data ? this.cache : [[id, clusterItem]];
    for (const [itemId, node] of candidates) {
      if (itemId !== id && !itemId.startsWith(`${id}/`)) continue;
      const before = this.rendered.get(itemId);
      if (before === undefined) continue; // never shown: nothing to update
      const after = signature(node.getTreeItem());
      if (after !== before) {
        this.rendered.set(itemId, after);
        changed.push(node);
      }
    }
    if (changed.length > 0) this.fire(changed);
  }

  private fire(nodes: TreeNode | TreeNode[] | undefined): void {
    if (Array.isArray(nodes) && nodes.length === 0) return;
    this.stats.events++;
    this.stats.itemsFired += nodes === undefined ? 0 : Array.isArray(nodes) ? nodes.length : 1;
    this.stats.lastFired = nodes === undefined ? ['*'] : (Array.isArray(nodes) ? nodes : [nodes]).map((n) => n.id);
    this.emitter.fire(nodes);
  }

  dispose(): void {
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Above this many guests nodes start collapsed and show no live load (see docs/benchmarks.md). */
export const LARGE_CLUSTER_GUESTS = 300;

function signature(item: vscode.TreeItem): string {
  const icon = item.iconPath instanceof vscode.ThemeIcon ? `${item.iconPath.id}:${item.iconPath.color?.id ?? ''}` : '';
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  return `${label}|${String(item.description ?? '')}|${icon}|${item.contextValue ?? ''}|${item.collapsibleState ?? ''}`;
}

/** What decides the cluster's children: state, grouping, and which guests sit where. */
function shapeOf(session: ClusterSession, context: TreeContext): string {
  const state = session.state;
  const parts = [state.kind, state.kind === 'error' ? `${state.error.reason}:${state.error.tls?.kind ?? ''}` : '', String(session.isStale), context.settings.grouping, String(context.settings.showStorage)];
  const index = session.index;
  if (index) {
    for (const [node, guests] of index.guestsByNode) {
      parts.push(`${node}:${guests.filter((g) => matchesFilter(g, context.filter)).map((g) => `${g.key}${g.tags.join(',')}${g.resource.pool ?? ''}`).join(',')}`);
    }
    parts.push([...index.nodes.keys()].join(','));
    for (const [node, storages] of index.storagesByNode) parts.push(`${node}:${storages.map((s) => s.storage).join(',')}`);
  }
  return parts.join('\n');
}
