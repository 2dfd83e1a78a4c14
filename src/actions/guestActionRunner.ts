import type { GuestAction } from '../api/client';
import { PveError, isAbortError } from '../api/errors';
import { waitForTask } from '../api/taskWaiter';
import { ACTION_RULES, refusal } from '../model/actionPolicy';
import type { GuestEntry } from '../model/clusterIndex';
import { isHaManaged, powerState, type PowerState } from '../model/guestState';
import type { ActionPlan, ActionResult, ActionTarget, PictureChange, PlanResult } from './actionTypes';

export interface RunnerHooks {
  /** The item shows "stopping…" while the task runs. */
  readonly onBusy?: (target: ActionTarget, entry: GuestEntry, action: GuestAction | undefined) => void;
  readonly onTask?: (target: ActionTarget, upid: string) => void;
  readonly log?: (message: string) => void;
}

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  readonly taskCapMs?: number;
  /** How long to wait for an HA-managed guest to reach the state (its task only asks the HA manager). */
  readonly haSettleMs?: number;
}

/**
 * The safe workflow for one guest action, shared by the menus, the palette and the agent tools:
 * identify (node and type from the cluster, never guessed), re-read the state, refuse what does not
 * fit, send once, wait for the task, re-read, and report before → after.
 */
export class GuestActionRunner {
  private readonly inFlight = new Set<string>();

  constructor(private readonly hooks: RunnerHooks = {}) {}

  private key(target: ActionTarget): string {
    return `${target.session.config.id}/${target.vmid}`;
  }

  isBusy(target: ActionTarget): boolean {
    return this.inFlight.has(this.key(target));
  }

  /**
   * One action per guest at a time: the guest is held from the first look through the
   * confirmation to the end of the task, so a double click sends one request.
   */
  async exclusive<T>(target: ActionTarget, work: () => Promise<T>): Promise<T | 'busy'> {
    if (!this.tryReserve(target)) return 'busy';
    try {
      return await work();
    } finally {
      this.release(target);
    }
  }

  tryReserve(target: ActionTarget): boolean {
    const key = this.key(target);
    if (this.inFlight.has(key)) return false;
    this.inFlight.add(key);
    return true;
  }

  release(target: ActionTarget): void {
    this.inFlight.delete(this.key(target));
  }

  /** Re-reads the guest and checks the action against what it is now. Sends nothing that changes state. */
  async plan(target: ActionTarget, action: GuestAction, signal?: AbortSignal): Promise<PlanResult> {
    const fresh = await target.session.reread(target.vmid, signal);
    if (!fresh) return { ok: false, reason: 'notFound' };
    const { entry, status } = fresh;
    const facts = { type: entry.type, status: entry.resource.status, qmpstatus: status.qmpstatus, lock: status.lock ?? entry.resource.lock, template: entry.resource.template, hastate: entry.resource.hastate };
    const refused = refusal(action, facts);
    if (refused) return { ok: false, reason: refused, entry };
    const changes: PictureChange[] = [];
    const seen = target.seen;
    if (seen) {
      if (seen.node !== entry.node) changes.push({ kind: 'moved', from: seen.node, to: entry.node });
      if (seen.power !== entry.power) changes.push({ kind: 'state', from: seen.power, to: entry.power });
    }
    return { ok: true, plan: { target, action, entry, status, caution: ACTION_RULES[action].caution, changes } };
  }

  /** Sends the action exactly once and follows it to the end. Call inside `exclusive`. */
  async execute(plan: ActionPlan, options: ExecuteOptions = {}): Promise<ActionResult> {
    const { target, action, entry } = plan;
    const before = entry.power;
    const base = { plan, before };
    let upid: string | undefined;
    this.hooks.onBusy?.(target, entry, action);
    try {
      const client = await target.session.client();
      try {
        upid = await client.guestAction({ node: entry.node, type: entry.type, vmid: entry.vmid }, action, {}, options.signal);
      } catch (error) {
        // The request may have reached the server: never resend, re-read and say so.
        if (PveError.is(error) && error.requestMayHaveBeenApplied) {
          const after = await this.currentState(target, options.signal);
          return { ...base, outcome: 'unknown', after: after?.power, nodeAfter: after?.node, upid: undefined, exitStatus: undefined, error };
        }
        throw error;
      }
      this.hooks.onTask?.(target, upid);
      this.hooks.log?.(`${entry.type} ${entry.vmid} on ${entry.node}: ${action} → ${upid}`);
      let exitStatus: string | undefined;
      let outcome: ActionResult['outcome'] = 'succeeded';
      let taskError: unknown;
      try {
        const done = await waitForTask(client, upid, { ...(options.signal ? { signal: options.signal } : {}), ...(options.taskCapMs ? { capMs: options.taskCapMs } : {}) });
        exitStatus = done.exitStatus;
        outcome = done.warnings > 0 ? 'warnings' : 'succeeded';
      } catch (error) {
        taskError = error;
        if (PveError.is(error, 'taskFailed')) {
          outcome = 'failed';
          exitStatus = error.exitStatus;
        } else if (isAbortError(error)) {
          outcome = 'cancelled';
        } else if (PveError.is(error, 'timeout')) {
          outcome = 'stillRunning';
        } else {
          throw error;
        }
      }
      let after = await this.currentState(target);
      // HA-managed guests: the task only asked the HA manager; the state follows a little later.
      if (outcome === 'succeeded' && isHaManaged(entry.resource) && after && after.power !== ACTION_RULES[action].expect) {
        after = await this.waitForState(target, ACTION_RULES[action].expect, options.haSettleMs ?? 60_000, options.signal);
      }
      return { ...base, outcome, after: after?.power, nodeAfter: after?.node, upid, exitStatus, error: taskError };
    } finally {
      this.hooks.onBusy?.(target, entry, undefined);
    }
  }

  private async currentState(target: ActionTarget, signal?: AbortSignal): Promise<{ power: PowerState; node: string } | undefined> {
    try {
      const fresh = await target.session.reread(target.vmid, signal);
      if (!fresh) return undefined;
      const power = powerState({ type: fresh.entry.type, status: fresh.entry.resource.status, qmpstatus: fresh.status.qmpstatus, lock: fresh.status.lock });
      return { power, node: fresh.entry.node };
    } catch {
      return undefined;
    }
  }

  private async waitForState(target: ActionTarget, expected: PowerState, capMs: number, signal?: AbortSignal): Promise<{ power: PowerState; node: string } | undefined> {
    const started = Date.now();
    let last = await this.currentState(target, signal);
    while (last?.power !== expected && Date.now() - started < capMs && !signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      last = await this.currentState(target, signal);
    }
    return last;
  }
}
