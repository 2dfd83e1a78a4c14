// Worker tasks as PVE runs them (pve-common RESTEnvironment::fork_worker, PVE::UPID; NOTES.md §6):
// a UPID in PVE's exact format, a log that ends in "TASK OK" / "TASK WARNINGS: n" /
// "TASK ERROR: <msg>", `running` until the worker ends, DELETE -> "received interrupt", and the
// per-guest config file lock (flock with a 10 s timeout) that serializes concurrent actions.
import type { SimClock } from './clock';
import { die, PveError, toPveError } from './errors';
import type { GuestType, TaskHistorySpec } from './model';
import { createRng, hashString } from './rng';
import type { ClusterState } from './state';

/** A task: its UPID's fields (`user` is the auth id that started it, a full token id for tokens) and its run. */
export interface SimTask extends DecodedUpid {
  readonly upid: string;
  status: 'running' | 'stopped';
  endtime?: number;
  exitstatus?: string;
  readonly log: string[];
  warnings: number;
  readonly abort: AbortController;
  /** Resolves when the task has ended (never rejects). */
  done: Promise<void>;
}

/** Changes the outcome of the next matching task(s), for scenarios like "task ends with WARNINGS". */
export interface TaskOverride {
  readonly type?: string | RegExp;
  readonly id?: string;
  readonly node?: string;
  /** How many tasks it applies to (default 1). */
  times?: number;
  readonly durationMs?: number;
  /** Extra log lines before the end. */
  readonly log?: readonly string[];
  /** Each becomes a "WARN: ..." line and counts towards "TASK WARNINGS: n". */
  readonly warnings?: readonly string[];
  /** The task fails with this text instead of doing its work. */
  readonly error?: string;
}

export interface TaskOptions {
  /** Default duration of a task's work phase. */
  readonly taskDurationMs: number;
  /** Per task type overrides, e.g. { qmsnapshot: 1000 }. */
  readonly taskDurations: Readonly<Record<string, number>>;
  /** flock wait before "can't lock file ... - got timeout" (PVE: 10 s). */
  readonly lockTimeoutMs: number;
}

export type TaskWork = (ctx: TaskContext) => Promise<void>;

export function formatUpid(t: Pick<SimTask, 'node' | 'pid' | 'pstart' | 'starttime' | 'type' | 'id' | 'user'>): string {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');
  return `UPID:${t.node}:${hex(t.pid)}:${hex(t.pstart)}:${hex(t.starttime)}:${t.type}:${t.id}:${t.user}:`;
}

export interface DecodedUpid {
  readonly node: string;
  readonly pid: number;
  readonly pstart: number;
  readonly starttime: number;
  readonly type: string;
  readonly id: string;
  readonly user: string;
}

const UPID_RE =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

/** PVE::UPID::decode. */
export function decodeUpid(upid: string): DecodedUpid | undefined {
  const m = UPID_RE.exec(upid);
  if (!m) return undefined;
  return {
    node: m[1] ?? '',
    pid: Number.parseInt(m[3] ?? '0', 16),
    pstart: Number.parseInt(m[4] ?? '0', 16),
    starttime: Number.parseInt(m[5] ?? '0', 16),
    type: m[6] ?? '',
    id: m[7] ?? '',
    user: m[8] ?? '',
  };
}

/** PVE::UPID::read_status from the last log line. */
export function exitStatusFromLog(lastLine: string | undefined): string {
  if (lastLine === undefined) return 'unexpected status';
  if (lastLine === 'TASK OK') return 'OK';
  const err = /^TASK ERROR: (.+)$/.exec(lastLine);
  if (err?.[1] !== undefined) return err[1];
  const warn = /^TASK (WARNINGS: \d+)$/.exec(lastLine);
  if (warn?.[1] !== undefined) return warn[1];
  return 'unexpected status';
}

/** PVE::UPID::normalize_status_type. */
export function normalizeStatusType(status: string | undefined): 'ok' | 'warning' | 'error' | 'unknown' {
  if (status === undefined || status === '') return 'unknown';
  if (status === 'OK') return 'ok';
  if (/^WARNINGS: \d+$/.test(status)) return 'warning';
  if (status === 'unexpected status') return 'unknown';
  return 'error';
}

const INTERRUPT = 'received interrupt';

/** Per-guest config lock (qemu-server lock_config / pve-container lock_config). */
class GuestLocks {
  private readonly held = new Map<number, (() => void)[]>();

  async acquire(vmid: number, timeoutMs: number, signal: AbortSignal, timeoutText: string): Promise<() => void> {
    const queue = this.held.get(vmid);
    if (!queue) {
      this.held.set(vmid, []);
      return () => {
        this.release(vmid);
      };
    }
    return new Promise<() => void>((resolve, reject) => {
      const grant = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(() => {
          this.release(vmid);
        });
      };
      const giveUp = (err: PveError): void => {
        const q = this.held.get(vmid);
        const i = q ? q.indexOf(grant) : -1;
        if (q && i >= 0) q.splice(i, 1);
        signal.removeEventListener('abort', onAbort);
        reject(err);
      };
      const timer = setTimeout(() => {
        giveUp(die(timeoutText));
      }, timeoutMs);
      const onAbort = (): void => {
        clearTimeout(timer);
        giveUp(die(INTERRUPT));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  }

  private release(vmid: number): void {
    const queue = this.held.get(vmid);
    const next = queue?.shift();
    if (next) next();
    else this.held.delete(vmid);
  }
}

export class TaskContext {
  constructor(
    private readonly manager: TaskManager,
    readonly task: SimTask,
    /** Duration of this task's work phase (type default or override). */
    readonly durationMs: number,
    private readonly overridden = false,
  ) {}

  /** For steps that are instant on PVE (QMP commands): at most 50 ms unless a test set a duration. */
  get quickMs(): number {
    return this.overridden ? this.durationMs : Math.min(this.durationMs, 50);
  }

  get signal(): AbortSignal {
    return this.task.abort.signal;
  }

  log(line: string): void {
    this.task.log.push(line);
  }

  /** RESTEnvironment::warn: a "WARN: " line that counts towards "TASK WARNINGS: n". */
  warn(message: string): void {
    this.task.log.push(`WARN: ${message.replace(/\n$/, '')}`);
    this.task.warnings++;
  }

  /** Waits; a DELETE on the task (SIGTERM) makes this throw "received interrupt". */
  async sleep(ms: number): Promise<void> {
    const signal = this.signal;
    if (signal.aborted) throw die(INTERRUPT);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(die(INTERRUPT));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runs `fn` holding the guest's config lock, like lock_config($vmid, sub {...}). */
  async withConfigLock<T>(type: GuestType, vmid: number, fn: () => Promise<T> | T): Promise<T> {
    const text =
      type === 'qemu'
        ? `can't lock file '/var/lock/qemu-server/lock-${vmid}.conf' - got timeout`
        : `can't lock file '/run/lock/lxc/pve-config-${vmid}.lock' - got timeout`;
    const release = await this.manager.locks.acquire(vmid, this.manager.options.lockTimeoutMs, this.signal, text);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export class TaskManager {
  private readonly tasks = new Map<string, SimTask>();
  /** Per node: tasks in start order. */
  private readonly byNodeList = new Map<string, SimTask[]>();
  /** Per node: finished tasks in the order they were archived (the tasks/index file). */
  private readonly archive = new Map<string, SimTask[]>();
  readonly locks = new GuestLocks();
  readonly overrides: TaskOverride[] = [];
  private readonly endListeners: ((task: SimTask) => void)[] = [];
  private closed = false;

  constructor(
    private readonly state: ClusterState,
    private readonly clock: SimClock,
    readonly options: TaskOptions,
  ) {}

  durationFor(type: string): number {
    return this.options.taskDurations[type] ?? this.options.taskDurationMs;
  }

  onTaskEnd(listener: (task: SimTask) => void): void {
    this.endListeners.push(listener);
  }

  get(upid: string): SimTask | undefined {
    return this.tasks.get(upid);
  }

  /** All tasks of a node in start order. */
  tasksOf(node: string): readonly SimTask[] {
    return this.byNodeList.get(node) ?? [];
  }

  /** Finished tasks of a node, oldest archived first. */
  archivedOf(node: string): readonly SimTask[] {
    return this.archive.get(node) ?? [];
  }

  private takeOverride(node: string, type: string, id: string): TaskOverride | undefined {
    const i = this.overrides.findIndex(
      (o) =>
        (o.type === undefined || (typeof o.type === 'string' ? o.type === type : o.type.test(type))) &&
        (o.id === undefined || o.id === id) &&
        (o.node === undefined || o.node === node),
    );
    if (i < 0) return undefined;
    const o = this.overrides[i];
    if (!o) return undefined;
    o.times = (o.times ?? 1) - 1;
    if (o.times <= 0) this.overrides.splice(i, 1);
    return o;
  }

  private register(task: SimTask): void {
    this.tasks.set(task.upid, task);
    let list = this.byNodeList.get(task.node);
    if (!list) {
      list = [];
      this.byNodeList.set(task.node, list);
    }
    list.push(task);
  }

  private archiveTask(task: SimTask): void {
    let list = this.archive.get(task.node);
    if (!list) {
      list = [];
      this.archive.set(task.node, list);
    }
    list.push(task);
  }

  /** RESTEnvironment::fork_worker: returns at once with the running task; `work` runs async. */
  spawn(node: string, type: string, id: string, authid: string, work: TaskWork): SimTask {
    const simNode = this.state.node(node);
    if (!simNode) throw new Error(`unknown node ${node}`);
    const now = this.clock.nowMs();
    const pid = simNode.nextPid++;
    const pstart = Math.max(1, Math.floor((now / 1000 - simNode.bootTimeSec) * 100));
    const starttime = Math.floor(now / 1000);
    const base = { node, pid, pstart, starttime, type, id, user: authid };
    const task: SimTask = {
      ...base,
      upid: formatUpid(base),
      status: 'running',
      log: [],
      warnings: 0,
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    this.register(task);
    const override = this.takeOverride(node, type, id);
    const ctx = new TaskContext(this, task, override?.durationMs ?? this.durationFor(type), override?.durationMs !== undefined);
    task.done = this.run(task, ctx, work, override);
    return task;
  }

  private async run(task: SimTask, ctx: TaskContext, work: TaskWork, override: TaskOverride | undefined): Promise<void> {
    let error: PveError | undefined;
    try {
      // Let the HTTP answer (the UPID) leave before anything happens, like the forked worker.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (override?.error !== undefined) {
        await ctx.sleep(ctx.durationMs);
        for (const line of override.log ?? []) ctx.log(line);
        throw die(override.error);
      }
      await work(ctx);
      for (const line of override?.log ?? []) ctx.log(line);
      for (const w of override?.warnings ?? []) ctx.warn(w);
    } catch (err) {
      error = toPveError(err);
    }
    if (this.closed) return;
    let last: string;
    if (error) {
      // fork_worker: chomp, then newlines folded into spaces.
      last = `TASK ERROR: ${error.pveMessage.replace(/\n$/, '').replace(/\n/g, ' ')}`;
    } else if (task.warnings > 0) {
      last = `TASK WARNINGS: ${task.warnings}`;
    } else {
      last = 'TASK OK';
    }
    task.log.push(last);
    task.status = 'stopped';
    task.endtime = this.clock.nowSec();
    task.exitstatus = exitStatusFromLog(last);
    this.archiveTask(task);
    for (const l of this.endListeners) l(task);
  }

  /** RPCEnvironment::check_worker($upid, 1): SIGTERM to a running worker. */
  stop(upid: string): void {
    const task = this.tasks.get(upid);
    if (task?.status === 'running') task.abort.abort();
  }

  /** Seeds a finished task from the cluster spec (task lists are never empty on a real node). */
  addHistory(h: TaskHistorySpec): SimTask | undefined {
    const node = this.state.node(h.node);
    if (!node) return undefined;
    const rng = createRng(hashString(`${h.node}:${h.type}:${h.id}:${h.agoSec}`));
    const starttime = this.clock.nowSec() - h.agoSec;
    const pid = 1000 + Math.floor(rng() * 3000000);
    const pstart = Math.max(1, Math.floor((starttime - node.bootTimeSec) * 100) || Math.floor(rng() * 1e6) + 1);
    const base = { node: h.node, pid, pstart: pstart > 0 ? pstart : 1, starttime, type: h.type, id: h.id, user: h.user };
    const last = h.status === 'OK' ? 'TASK OK' : /^WARNINGS: \d+$/.test(h.status) ? `TASK ${h.status}` : `TASK ERROR: ${h.status}`;
    const task: SimTask = {
      ...base,
      upid: formatUpid(base),
      status: 'stopped',
      endtime: starttime + h.durationSec,
      exitstatus: h.status,
      log: [...(h.log ?? []), last],
      warnings: 0,
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    this.register(task);
    this.archiveTask(task);
    return task;
  }

  /** Stops every running task without finishing it (simulator shutdown). */
  close(): void {
    this.closed = true;
    for (const t of this.tasks.values()) if (t.status === 'running') t.abort.abort();
  }
}
