import type { GuestAction } from '../api/client';
import type { GuestStatus } from '../api/schemas/guest';
import type { ClusterSession } from '../clusters/clusterSession';
import type { ActionRefusal, Caution } from '../model/actionPolicy';
import type { GuestEntry } from '../model/clusterIndex';
import type { PowerState } from '../model/guestState';

/** A guest an action is aimed at: the cluster, the VMID, and the picture the user saw. */
export interface ActionTarget {
  readonly session: ClusterSession;
  readonly vmid: number;
  /** What the tree showed when the user clicked; compared with a fresh read before acting. */
  readonly seen?: GuestEntry;
}

/** What changed between the click and the fresh read. */
export type PictureChange =
  | { readonly kind: 'moved'; readonly from: string; readonly to: string }
  | { readonly kind: 'state'; readonly from: PowerState; readonly to: PowerState }
  | { readonly kind: 'locked'; readonly lock: string };

/** An action, checked against the guest's current state and ready to confirm and send. */
export interface ActionPlan {
  readonly target: ActionTarget;
  readonly action: GuestAction;
  readonly entry: GuestEntry;
  readonly status: GuestStatus;
  readonly caution: Caution;
  readonly changes: readonly PictureChange[];
}

export type PlanResult =
  | { readonly ok: true; readonly plan: ActionPlan }
  | { readonly ok: false; readonly reason: 'notFound' | 'busy' | ActionRefusal; readonly entry?: GuestEntry };

export type Outcome = 'succeeded' | 'warnings' | 'failed' | 'unknown' | 'stillRunning' | 'cancelled';

/** What happened, with the facts the report sentence is made of. */
export interface ActionResult {
  readonly plan: ActionPlan;
  readonly outcome: Outcome;
  readonly before: PowerState;
  readonly after: PowerState | undefined;
  /** The node the guest is on afterwards (HA may move it). */
  readonly nodeAfter: string | undefined;
  readonly upid: string | undefined;
  readonly exitStatus: string | undefined;
  readonly error: unknown;
}
