import type { GuestAction } from '../api/client';
import type { GuestType } from '../api/paths';
import { blockingLock, isHaManaged, powerState, type GuestFacts, type PowerState } from './guestState';

/**
 * Which action applies in which state, and how careful the UI must be about it. The menus, the
 * commands (which re-check after re-reading the guest) and the agent tools all ask this one table.
 */
export type Caution = 'none' | 'confirm' | 'destructive';

export interface ActionRule {
  readonly types: readonly GuestType[];
  readonly from: readonly PowerState[];
  readonly caution: Caution;
  /** What the guest should be afterwards, for "running → stopped" reports and wait-for-state. */
  readonly expect: PowerState;
  readonly privileges: readonly string[];
}

export const ACTION_RULES: Readonly<Record<GuestAction, ActionRule>> = {
  start: { types: ['qemu', 'lxc'], from: ['stopped'], caution: 'none', expect: 'running', privileges: ['VM.PowerMgmt'] },
  resume: { types: ['qemu', 'lxc'], from: ['paused', 'hibernated'], caution: 'none', expect: 'running', privileges: ['VM.PowerMgmt'] },
  shutdown: { types: ['qemu', 'lxc'], from: ['running'], caution: 'confirm', expect: 'stopped', privileges: ['VM.PowerMgmt'] },
  reboot: { types: ['qemu', 'lxc'], from: ['running'], caution: 'confirm', expect: 'running', privileges: ['VM.PowerMgmt'] },
  suspend: { types: ['qemu', 'lxc'], from: ['running'], caution: 'confirm', expect: 'paused', privileges: ['VM.PowerMgmt'] },
  hibernate: { types: ['qemu'], from: ['running', 'paused'], caution: 'confirm', expect: 'hibernated', privileges: ['VM.PowerMgmt', 'VM.Config.Disk'] },
  stop: { types: ['qemu', 'lxc'], from: ['running', 'paused'], caution: 'destructive', expect: 'stopped', privileges: ['VM.PowerMgmt'] },
  reset: { types: ['qemu'], from: ['running', 'paused'], caution: 'destructive', expect: 'running', privileges: ['VM.PowerMgmt'] },
};

export const GUEST_ACTIONS = Object.keys(ACTION_RULES) as GuestAction[];

export type ActionRefusal = 'template' | 'unknownState' | 'locked' | 'wrongType' | 'wrongState' | 'haToDisk';

/** Why an action does not fit the guest now, or undefined when it does. */
export function refusal(action: GuestAction, facts: GuestFacts): ActionRefusal | undefined {
  const rule = ACTION_RULES[action];
  if (facts.template) return 'template';
  if (!rule.types.includes(facts.type)) return 'wrongType';
  const power = powerState(facts);
  if (power === 'unknown') return 'unknownState';
  if (blockingLock(facts)) return 'locked';
  if (!rule.from.includes(power)) return 'wrongState';
  if (action === 'hibernate' && isHaManaged(facts)) return 'haToDisk';
  return undefined;
}

export function applicableActions(facts: GuestFacts): GuestAction[] {
  return GUEST_ACTIONS.filter((action) => refusal(action, facts) === undefined);
}

export type SnapshotAction = 'create' | 'delete' | 'rollback' | 'editDescription';

export const SNAPSHOT_RULES: Readonly<Record<SnapshotAction, { readonly caution: Caution; readonly privileges: readonly string[] }>> = {
  create: { caution: 'none', privileges: ['VM.Snapshot'] },
  editDescription: { caution: 'none', privileges: ['VM.Snapshot'] },
  // Either privilege is enough for rollback (NOTES.md §5).
  rollback: { caution: 'destructive', privileges: ['VM.Snapshot|VM.Snapshot.Rollback'] },
  delete: { caution: 'destructive', privileges: ['VM.Snapshot'] },
};

/** Snapshots can be taken of any non-template guest whose config is not locked. */
export function snapshotRefusal(action: SnapshotAction, facts: GuestFacts): ActionRefusal | undefined {
  if (facts.template) return 'template';
  if (powerState(facts) === 'unknown') return 'unknownState';
  if (action !== 'editDescription' && blockingLock(facts)) return 'locked';
  return undefined;
}

/** Confirmations may be relaxed by a setting only for actions that lose nothing. */
export function needsConfirmation(caution: Caution, relaxNonDestructive: boolean): boolean {
  if (caution === 'destructive') return true;
  if (caution === 'confirm') return !relaxNonDestructive;
  return false;
}
