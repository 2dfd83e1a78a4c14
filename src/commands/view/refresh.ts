import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';

/** Manual refresh: also resumes a cluster paused after a 401, and re-reads snapshots. */
export async function refreshAll(ctx: CommandContext): Promise<void> {
  await Promise.all(ctx.manager.sessions.map((session) => refreshSession(ctx, session.config.id)));
}

export async function refreshCluster(ctx: CommandContext, arg?: unknown): Promise<void> {
  const session = await resolveCluster(ctx, arg);
  if (session) await refreshSession(ctx, session.config.id);
}

async function refreshSession(ctx: CommandContext, clusterId: string): Promise<void> {
  const session = ctx.manager.get(clusterId);
  if (!session) return;
  session.authPaused = false;
  ctx.tree.invalidateSnapshots(clusterId);
  await session.refresh();
}
