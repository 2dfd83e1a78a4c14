import * as vscode from 'vscode';
import { parseUpid } from '../../api/upid';
import type { CommandContext } from '../commandContext';
import { resolveTaskArgs } from './taskArgs';

/** Stops a running task on the server (SIGTERM to its worker), after a confirmation naming it. */
export async function stopTask(ctx: CommandContext, ...args: unknown[]): Promise<boolean> {
  const task = resolveTaskArgs(ctx, args);
  if (!task) return false;
  const session = ctx.manager.get(task.clusterId);
  if (!session) return false;
  const upid = parseUpid(task.upid);
  const client = await session.client();
  const status = await client.taskStatus(task.upid);
  if (status.status !== 'running') {
    void ctx.prompter.notify('info', vscode.l10n.t('The task has already ended: {0}', status.exitstatus ?? '?'));
    return false;
  }
  const stop = vscode.l10n.t('Stop Task');
  const choice = await ctx.prompter.confirm({
    message: vscode.l10n.t('Stop the task {0} {1} on {2}?', upid.type, upid.id, upid.node),
    detail: vscode.l10n.t('Started by {0} at {1}. The worker is interrupted; what it was doing may be left half-done (Proxmox VE then reports "received interrupt").', upid.user, new Date(upid.starttime * 1000).toLocaleString()),
    buttons: [stop],
    modal: true,
  });
  if (choice !== stop) return false;
  await client.stopTask(task.upid);
  void ctx.prompter.notify('info', vscode.l10n.t('Stop requested for task {0} {1} on {2}.', upid.type, upid.id, upid.node));
  return true;
}
