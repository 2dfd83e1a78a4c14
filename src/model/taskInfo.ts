import type { TaskListItem } from '../api/schemas/tasks';
import { tryParseUpid } from '../api/upid';

export type TaskState = 'running' | 'ok' | 'warning' | 'error';

/** One task for the Tasks view: from `/cluster/tasks`, or just started here (from its UPID). */
export interface TaskInfo {
  readonly upid: string;
  readonly node: string;
  readonly type: string;
  readonly id: string;
  readonly user: string;
  readonly starttime: number;
  readonly endtime: number | undefined;
  readonly state: TaskState;
  /** The exit text for finished tasks (`OK`, `WARNINGS: 2`, the error). */
  readonly status: string | undefined;
}

export function taskState(status: string | undefined, endtime: number | undefined): TaskState {
  if (endtime === undefined && (status === undefined || status === '' || status === 'RUNNING')) return 'running';
  if (status === 'OK') return 'ok';
  if (status && /^WARNINGS: \d+$/.test(status)) return 'warning';
  return 'error';
}

export function fromListItem(item: TaskListItem): TaskInfo {
  return {
    upid: item.upid,
    node: item.node,
    type: item.type,
    id: item.id ?? '',
    user: item.tokenid ? `${item.user}!${item.tokenid}` : item.user,
    starttime: item.starttime,
    endtime: item.endtime,
    state: taskState(item.status, item.endtime),
    status: item.status,
  };
}

/** A task the extension just started, shown at once before `/cluster/tasks` lists it. */
export function fromUpid(upid: string): TaskInfo | undefined {
  const parsed = tryParseUpid(upid);
  if (!parsed) return undefined;
  return { upid, node: parsed.node, type: parsed.type, id: parsed.id, user: parsed.user, starttime: parsed.starttime, endtime: undefined, state: 'running', status: undefined };
}

/** Running first, then newest first; local entries replaced by the server's once it lists them. */
export function mergeTasks(server: readonly TaskInfo[], local: readonly TaskInfo[], limit = 50): TaskInfo[] {
  const byUpid = new Map<string, TaskInfo>();
  for (const t of local) byUpid.set(t.upid, t);
  for (const t of server) byUpid.set(t.upid, t);
  return [...byUpid.values()]
    .sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || b.starttime - a.starttime)
    .slice(0, limit);
}

/** QEMU and LXC task types (NOTES.md §6) as a verb and the kind of target. */
export const TASK_VERBS: Readonly<Record<string, readonly [verb: string, target: 'VM' | 'CT' | 'guest']>> = {
  qmstart: ['start', 'VM'],
  qmstop: ['stop', 'VM'],
  qmshutdown: ['shutdown', 'VM'],
  qmreboot: ['reboot', 'VM'],
  qmreset: ['reset', 'VM'],
  qmpause: ['pause', 'VM'],
  qmsuspend: ['hibernate', 'VM'],
  qmresume: ['resume', 'VM'],
  qmsnapshot: ['snapshot', 'VM'],
  qmdelsnapshot: ['delete snapshot', 'VM'],
  qmrollback: ['rollback', 'VM'],
  vzstart: ['start', 'CT'],
  vzstop: ['stop', 'CT'],
  vzshutdown: ['shutdown', 'CT'],
  vzreboot: ['reboot', 'CT'],
  vzsuspend: ['suspend', 'CT'],
  vzresume: ['resume', 'CT'],
  vzsnapshot: ['snapshot', 'CT'],
  vzdelsnapshot: ['delete snapshot', 'CT'],
  vzrollback: ['rollback', 'CT'],
  hastart: ['HA start', 'guest'],
  hastop: ['HA stop', 'guest'],
  vzdump: ['backup', 'guest'],
};
