import * as vscode from 'vscode';
import type { ActionTarget } from '../../actions/actionTypes';
import type { SnapshotOperation, SnapshotPlan, SnapshotResult } from '../../actions/snapshotRunner';
import { Settings } from '../../constants';
import { progressLabel } from '../../tree/labels';
import { targetName } from '../../ui/actionText';
import type { CommandContext } from '../commandContext';
import { snapshotRefusalText } from './snapshotText';

/**
 * The common flow of the snapshot commands: hold the guest, re-read it and its snapshots, let the
 * caller confirm (with the fresh plan), then execute with a cancellable progress and refresh the
 * guest's snapshot list in the tree.
 */
export async function runSnapshotOperation(
  ctx: CommandContext,
  target: ActionTarget,
  operation: SnapshotOperation,
  confirm: (plan: SnapshotPlan) => Promise<SnapshotOperation | undefined>,
): Promise<SnapshotResult | undefined> {
  const outcome = await ctx.snapshots.exclusive(target, async () => {
    const planned = await ctx.snapshots.plan(target, operation);
    if (!planned.ok) {
      const who = planned.entry ? targetName(planned.entry) : `${target.session.config.name} ${target.vmid}`;
      void ctx.prompter.notify('warning', snapshotRefusalText(planned, who, operation.name));
      return undefined;
    }
    const confirmed = await confirm(planned.plan);
    if (!confirmed) return undefined;
    const plan = { ...planned.plan, operation: confirmed };
    const label = progressLabel(confirmed.kind === 'create' ? 'snapshot' : confirmed.kind === 'delete' ? 'deleteSnapshot' : 'rollback');
    const key = plan.entry.key;
    const clusterId = target.session.config.id;
    ctx.tree.setBusy(clusterId, key, label);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${targetName(plan.entry)}: ${label}`, cancellable: true },
        (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => { controller.abort(); });
          const minutes = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.taskWaitMinutes) ?? 15;
          return ctx.snapshots.execute(plan, { signal: controller.signal, taskCapMs: Math.max(1, minutes) * 60_000 });
        },
      );
    } finally {
      ctx.tree.setBusy(clusterId, key, undefined);
      ctx.tree.invalidateSnapshots(clusterId, key);
    }
  });
  if (outcome === 'busy') {
    void ctx.prompter.notify('info', vscode.l10n.t('An action on {0} {1} is already running.', target.session.config.name, target.vmid));
    return undefined;
  }
  return outcome;
}
