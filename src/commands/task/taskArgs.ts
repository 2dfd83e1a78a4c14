import type { CommandContext } from '../commandContext';

/** `(clusterId, upid)` from other commands, or a task item from the Tasks view. */
export function resolveTaskArgs(ctx: CommandContext, args: readonly unknown[]): { clusterId: string; upid: string } | undefined {
  const [first, second] = args;
  if (typeof first === 'string' && typeof second === 'string' && ctx.manager.get(first)) return { clusterId: first, upid: second };
  if (typeof first === 'object' && first !== null) {
    const { clusterId, upid } = first as { clusterId?: unknown; upid?: unknown };
    if (typeof clusterId === 'string' && typeof upid === 'string' && ctx.manager.get(clusterId)) return { clusterId, upid };
  }
  return undefined;
}
