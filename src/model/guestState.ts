import type { GuestType } from '../api/paths';

/**
 * What a guest is doing, as the user thinks of it. PVE spreads this over `status`, `qmpstatus`
 * and `lock` (NOTES.md §7-8): a paused VM reports `running`/`paused`, a hibernated one `stopped`
 * with `lock: suspended`, and an offline node's guests `unknown`.
 */
export type PowerState = 'running' | 'paused' | 'hibernated' | 'stopped' | 'unknown';

export interface GuestFacts {
  readonly type: GuestType;
  /** `/cluster/resources` status (the QMP state for QEMU when known) or `status/current` status. */
  readonly status: string;
  readonly qmpstatus?: string | undefined;
  readonly lock?: string | undefined;
  readonly template?: boolean | undefined;
  readonly hastate?: string | undefined;
}

const PAUSED_QMP = new Set(['paused', 'suspended', 'prelaunch', 'postmigrate', 'inmigrate']);

export function powerState(facts: GuestFacts): PowerState {
  const status = facts.status.toLowerCase();
  if (status === 'unknown' || status === '') return 'unknown';
  if (status === 'stopped') return facts.lock === 'suspended' ? 'hibernated' : 'stopped';
  const qmp = (facts.qmpstatus ?? status).toLowerCase();
  if (PAUSED_QMP.has(qmp) || PAUSED_QMP.has(status)) return 'paused';
  // running, io-error, internal-error, guest-panicked: the process is there.
  return 'running';
}

/** A lock that blocks actions. `suspended` only marks a hibernated VM (start/resume are exempt). */
export function blockingLock(facts: GuestFacts): string | undefined {
  if (!facts.lock || facts.lock === 'suspended') return undefined;
  return facts.lock;
}

/** HA "config" states where the HA manager does not drive the guest. */
const HA_INACTIVE = new Set(['ignored', 'disabled']);

export function isHaManaged(facts: GuestFacts): boolean {
  return facts.hastate !== undefined && facts.hastate !== '' && !HA_INACTIVE.has(facts.hastate);
}
