import type { GuestAction } from '../api/client';
import type { ClusterSession } from '../clusters/clusterSession';
import type { SnapshotAction } from '../model/actionPolicy';
import type { GuestFilter, Grouping } from '../model/guestFilter';
import type { TreeNode } from './treeNode';

export type DescriptionField = 'vmid' | 'cpu' | 'memory' | 'uptime' | 'tags';

export interface TreeSettings {
  readonly grouping: Grouping;
  readonly description: readonly DescriptionField[];
  readonly showTemplates: boolean;
  readonly showStorage: boolean;
}

/** What every item may read while rendering; owned by the provider. */
export interface TreeContext {
  readonly settings: TreeSettings;
  readonly filter: GuestFilter;
  /** A running action per guest key (`clusterId/qemu/100`) with its progress label, e.g. "stopping…". */
  busyLabel(clusterId: string, guestKey: string): string | undefined;
  /** Items are cached by id so that VS Code sees the same object across refreshes. */
  cached<T extends TreeNode>(id: string, create: () => T): T;
  isAllowed(session: ClusterSession, vmid: number, pool: string | undefined, action: GuestAction | `snapshot.${SnapshotAction}`): boolean;
  isLargeCluster(session: ClusterSession): boolean;
}
