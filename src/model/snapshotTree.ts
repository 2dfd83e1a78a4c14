import type { Snapshot } from '../api/schemas/guest';

/** A snapshot with its children; `current` is the "You are here" position (NOTES.md §10). */
export interface SnapshotNode {
  readonly snapshot: Snapshot;
  readonly isCurrent: boolean;
  readonly children: SnapshotNode[];
}

/**
 * Builds the tree from `parent` links; the list arrives unordered. Children are sorted by time,
 * `current` last among its siblings. A parent that is missing (or a cycle) makes a root, so a
 * damaged list still shows every snapshot.
 */
export function buildSnapshotTree(list: readonly Snapshot[]): SnapshotNode[] {
  const nodes = new Map<string, SnapshotNode>();
  for (const snapshot of list) {
    if (!nodes.has(snapshot.name)) nodes.set(snapshot.name, { snapshot, isCurrent: snapshot.name === 'current', children: [] });
  }
  const roots: SnapshotNode[] = [];
  for (const node of nodes.values()) {
    const parentName = node.snapshot.parent;
    const parent = parentName !== undefined && parentName !== node.snapshot.name ? nodes.get(parentName) : undefined;
    if (parent && !isAncestor(node, parent, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  const order = (a: SnapshotNode, b: SnapshotNode): number =>
    Number(a.isCurrent) - Number(b.isCurrent) || (a.snapshot.snaptime ?? 0) - (b.snapshot.snaptime ?? 0) || a.snapshot.name.localeCompare(b.snapshot.name);
  const sort = (level: SnapshotNode[]): void => {
    level.sort(order);
    level.forEach((n) => { sort(n.children); });
  };
  sort(roots);
  return roots;
}

/** True when `candidate` already sits below `node` (following parent links), i.e. a cycle. */
function isAncestor(node: SnapshotNode, candidate: SnapshotNode, all: Map<string, SnapshotNode>): boolean {
  let cursor: SnapshotNode | undefined = candidate;
  const seen = new Set<string>();
  while (cursor) {
    if (cursor === node) return true;
    if (seen.has(cursor.snapshot.name)) return true;
    seen.add(cursor.snapshot.name);
    const parentName: string | undefined = cursor.snapshot.parent;
    cursor = parentName === undefined ? undefined : all.get(parentName);
  }
  return false;
}

/** The snapshot the live state derives from (`current.parent`). */
export function currentParent(list: readonly Snapshot[]): string | undefined {
  return list.find((s) => s.name === 'current')?.parent;
}
