import { PveError, isAbortError } from '../api/errors';
import type { GuestRef } from '../api/paths';
import type { Snapshot } from '../api/schemas/guest';
import { waitForTask } from '../api/taskWaiter';
import { snapshotRefusal, type ActionRefusal } from '../model/actionPolicy';
import type { GuestEntry } from '../model/clusterIndex';
import { powerState, type PowerState } from '../model/guestState';
import type { ActionTarget, Outcome } from './actionTypes';
import type { GuestActionRunner, RunnerHooks } from './guestActionRunner';

export type SnapshotOperation =
  | { readonly kind: 'create'; readonly name: string; readonly description?: string; readonly vmstate?: boolean }
  | { readonly kind: 'delete'; readonly name: string }
  | { readonly kind: 'rollback'; readonly name: string; readonly start?: boolean };

export interface SnapshotPlan {
  readonly target: ActionTarget;
  readonly operation: SnapshotOperation;
  readonly entry: GuestEntry;
  readonly power: PowerState;
  /** The list as it is now (for create: to refuse a name already used; for delete/rollback: the snapshot itself). */
  readonly snapshots: readonly Snapshot[];
  readonly snapshot: Snapshot | undefined;
}

export type SnapshotPlanResult =
  | { readonly ok: true; readonly plan: SnapshotPlan }
  | { readonly ok: false; readonly reason: 'notFound' | 'snapshotMissing' | 'nameTaken' | 'incomplete' | 'ramNeedsRunningVm' | ActionRefusal; readonly entry?: GuestEntry };

export interface SnapshotResult {
  readonly plan: SnapshotPlan;
  readonly outcome: Outcome;
  readonly before: PowerState;
  readonly after: PowerState | undefined;
  readonly upid: string | undefined;
  readonly exitStatus: string | undefined;
  readonly snapshotsAfter: readonly Snapshot[] | undefined;
}

/**
 * Snapshot create/delete/rollback with the same discipline as power actions: re-read the guest
 * and its snapshot list first, refuse what cannot work, send once, wait, re-read, report.
 */
export class SnapshotRunner {
  constructor(
    private readonly guests: GuestActionRunner,
    private readonly hooks: RunnerHooks = {},
  ) {}

  exclusive<T>(target: ActionTarget, work: () => Promise<T>): Promise<T | 'busy'> {
    return this.guests.exclusive(target, work);
  }

  async plan(target: ActionTarget, operation: SnapshotOperation, signal?: AbortSignal): Promise<SnapshotPlanResult> {
    const fresh = await target.session.reread(target.vmid, signal);
    if (!fresh) return { ok: false, reason: 'notFound' };
    const { entry, status } = fresh;
    const facts = { type: entry.type, status: entry.resource.status, qmpstatus: status.qmpstatus, lock: status.lock, template: entry.resource.template };
    const refused = snapshotRefusal(operation.kind, facts);
    if (refused) return { ok: false, reason: refused, entry };
    const client = await target.session.client();
    const snapshots = await client.snapshots(ref(entry), signal);
    const snapshot = snapshots.find((s) => s.name === operation.name);
    if (operation.kind === 'create') {
      if (snapshots.some((s) => s.name.toLowerCase() === operation.name.toLowerCase())) return { ok: false, reason: 'nameTaken', entry };
      if (operation.vmstate && (entry.type !== 'qemu' || entry.power !== 'running')) return { ok: false, reason: 'ramNeedsRunningVm', entry };
    } else {
      if (!snapshot || operation.name === 'current') return { ok: false, reason: 'snapshotMissing', entry };
      if (operation.kind === 'rollback' && snapshot.snapstate) return { ok: false, reason: 'incomplete', entry };
    }
    return { ok: true, plan: { target, operation, entry, power: powerState(facts), snapshots, snapshot } };
  }

  async execute(plan: SnapshotPlan, options: { readonly signal?: AbortSignal; readonly taskCapMs?: number } = {}): Promise<SnapshotResult> {
    const { target, operation, entry } = plan;
    const client = await target.session.client();
    const guest = ref(entry);
    let upid: string;
    try {
      switch (operation.kind) {
        case 'create':
          upid = await client.createSnapshot(guest, operation, options.signal);
          break;
        case 'delete':
          upid = await client.deleteSnapshot(guest, operation.name, options.signal);
          break;
        case 'rollback':
          upid = await client.rollbackSnapshot(guest, operation.name, operation.start === undefined ? {} : { start: operation.start }, options.signal);
          break;
      }
    } catch (error) {
      if (PveError.is(error) && error.requestMayHaveBeenApplied) {
        const after = await this.reread(target);
        return { plan, outcome: 'unknown', before: plan.power, after: after?.power, upid: undefined, exitStatus: undefined, snapshotsAfter: after?.snapshots };
      }
      throw error;
    }
    this.hooks.onTask?.(target, upid);
    let outcome: Outcome = 'succeeded';
    let exitStatus: string | undefined;
    try {
      const done = await waitForTask(client, upid, { ...(options.signal ? { signal: options.signal } : {}), ...(options.taskCapMs ? { capMs: options.taskCapMs } : {}) });
      exitStatus = done.exitStatus;
      if (done.warnings > 0) outcome = 'warnings';
    } catch (error) {
      if (PveError.is(error, 'taskFailed')) {
        outcome = 'failed';
        exitStatus = error.exitStatus;
      } else if (isAbortError(error)) outcome = 'cancelled';
      else if (PveError.is(error, 'timeout')) outcome = 'stillRunning';
      else throw error;
    }
    const after = await this.reread(target);
    return { plan, outcome, before: plan.power, after: after?.power, upid, exitStatus, snapshotsAfter: after?.snapshots };
  }

  private async reread(target: ActionTarget): Promise<{ power: PowerState; snapshots: Snapshot[] } | undefined> {
    try {
      const fresh = await target.session.reread(target.vmid);
      if (!fresh) return undefined;
      const client = await target.session.client();
      const snapshots = await client.snapshots(ref(fresh.entry));
      return { power: powerState({ type: fresh.entry.type, status: fresh.entry.resource.status, qmpstatus: fresh.status.qmpstatus, lock: fresh.status.lock }), snapshots };
    } catch {
      return undefined;
    }
  }
}

function ref(entry: GuestEntry): GuestRef {
  return { node: entry.node, type: entry.type, vmid: entry.vmid };
}
