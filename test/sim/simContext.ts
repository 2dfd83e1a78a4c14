// What route handlers and guest actions share: the model, the task runner, the clock, HA.
import type { SimClock } from './clock';
import type { ConsoleService } from './console';
import { die } from './errors';
import type { HaManager } from './ha';
import type { ClusterState } from './state';
import type { TaskManager } from './tasks';

export interface SimTiming {
  /** How long one PVE "second" lasts inside tasks (shutdown timeouts, HA ticks). */
  readonly secondMs: number;
  /** Delay between an hastart/hastop task and the HA manager acting on it. */
  readonly haDelayMs: number;
}

export interface SimContext {
  readonly state: ClusterState;
  readonly tasks: TaskManager;
  readonly clock: SimClock;
  readonly ha: HaManager;
  readonly timing: SimTiming;
  /** termproxy listeners and terminal sessions (CONSOLE.md §2). */
  readonly console: ConsoleService;
}

/** Who asked, and on which node the request is handled (the {node} of the path after proxying). */
export interface Caller {
  readonly node: string;
  /** user@realm or user@realm!token. */
  readonly authid: string;
}

/** check_cfs_quorum: more than half of the nodes must be online. */
export function assertQuorum(ctx: SimContext): void {
  const nodes = ctx.state.nodes;
  const online = nodes.filter((n) => n.online).length;
  if (online * 2 <= nodes.length) throw die('cluster not ready - no quorum?');
}
