import type { PveClient } from './client';
import { PveError, cancelledError } from './errors';
import type { TaskStatus } from './schemas/tasks';
import { parseUpid } from './upid';

export interface TaskOutcome {
  readonly upid: string;
  readonly exitStatus: string;
  /** `WARNINGS: n` counts as success (NOTES.md §6); n is reported here. */
  readonly warnings: number;
  readonly polls: number;
  readonly status: TaskStatus;
}

export interface WaitOptions {
  readonly signal?: AbortSignal;
  /** Give up waiting (not the task) after this long; the caller may then offer to stop it. */
  readonly capMs?: number;
  /** Delays between polls; the last one repeats. Fast first: most guest tasks end within a second. */
  readonly scheduleMs?: readonly number[];
  readonly onPoll?: (status: TaskStatus) => void;
}

/**
 * Fast first (most guest tasks end within a second), then every 0.5 s for the first ~10 s, so the
 * wait after a task ends stays under half a second while someone watches a start, stop or
 * snapshot; longer tasks (backups, migrations) fall back to one poll a second. bench/node/polling.ts
 * compares schedules by that wait and by the requests they cost.
 */
export const DEFAULT_POLL_SCHEDULE_MS: readonly number[] = [100, 150, 250, 400, ...Array<number>(18).fill(500), 1000];
const DEFAULT_CAP_MS = 15 * 60_000;
// PVE can answer 400 "no such task" for a moment right after the UPID was handed out.
const YOUNG_TASK_GRACE_MS = 3_000;
const MAX_CONSECUTIVE_ERRORS = 3;

const WARNINGS = /^WARNINGS: (\d+)$/;

export function isTaskSuccess(exitStatus: string): boolean {
  return exitStatus === 'OK' || WARNINGS.test(exitStatus);
}

/**
 * Polls the task's own node until the task stops. Resolves for `OK` and `WARNINGS: n`; rejects
 * with `taskFailed` (carrying the exit status) for anything else, `timeout` at the cap (the task
 * keeps running on the server), and `cancelled` when the signal aborts.
 */
export async function waitForTask(client: PveClient, upid: string, options: WaitOptions = {}): Promise<TaskOutcome> {
  parseUpid(upid);
  const schedule = options.scheduleMs ?? DEFAULT_POLL_SCHEDULE_MS;
  const cap = options.capMs ?? DEFAULT_CAP_MS;
  const started = Date.now();
  let polls = 0;
  let errors = 0;
  for (let index = 0; ; index++) {
    await sleep(schedule[Math.min(index, schedule.length - 1)] ?? 1000, options.signal);
    let status: TaskStatus;
    try {
      polls++;
      status = await client.taskStatus(upid, options.signal);
      errors = 0;
    } catch (error) {
      if (PveError.is(error, 'cancelled')) throw error;
      const young = Date.now() - started < YOUNG_TASK_GRACE_MS;
      const transient = PveError.is(error, 'network') || PveError.is(error, 'timeout') || PveError.is(error, 'nodeUnreachable');
      if ((young && PveError.is(error, 'badRequest')) || (transient && ++errors < MAX_CONSECUTIVE_ERRORS)) continue;
      throw error;
    }
    options.onPoll?.(status);
    if (status.status !== 'running') {
      const exitStatus = status.exitstatus ?? 'unexpected status';
      if (!isTaskSuccess(exitStatus)) {
        throw new PveError('taskFailed', exitStatus, { exitStatus, upid });
      }
      const warnings = Number(WARNINGS.exec(exitStatus)?.[1] ?? 0);
      return { upid, exitStatus, warnings, polls, status };
    }
    if (Date.now() - started >= cap) {
      throw new PveError('timeout', 'The task is still running; stopped waiting for it.', { upid });
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The last lines of a task's log, for showing why it failed. */
export async function taskLogTail(client: PveClient, upid: string, lines = 20, signal?: AbortSignal): Promise<string[]> {
  const head = await client.taskLog(upid, { start: 0, limit: 1 }, signal);
  const total = head.total ?? lines;
  const start = Math.max(0, total - lines);
  const tail = await client.taskLog(upid, { start, limit: lines }, signal);
  return tail.lines.map((line) => line.t);
}
