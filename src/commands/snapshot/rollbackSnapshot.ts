import * as vscode from 'vscode';
import type { SnapshotPlan, SnapshotResult } from '../../actions/snapshotRunner';
import { formatTimestamp } from '../../model/format';
import { powerLabel } from '../../tree/labels';
import { targetName } from '../../ui/actionText';
import type { CommandContext } from '../commandContext';
import { runSnapshotOperation } from './runSnapshotOperation';
import { resolveSnapshotTarget } from './snapshotTargets';
import { reportSnapshot } from './snapshotText';

/**
 * "Roll Back…": destructive, always confirmed with the consequence spelled out. Offers "Roll Back
 * and Start" for a snapshot without RAM (one with RAM resumes the VM by itself).
 */
export async function rollbackSnapshot(ctx: CommandContext, ...args: unknown[]): Promise<SnapshotResult | undefined> {
  const resolved = await resolveSnapshotTarget(ctx, args);
  if (!resolved) return undefined;
  const { target, name } = resolved;
  const result = await runSnapshotOperation(ctx, target, { kind: 'rollback', name }, async (plan) => {
    const { message, detail, rollback, rollbackStart, withRam } = rollbackSnapshotConfirmation(plan, name);
    const choice = await ctx.prompter.confirm({
      message,
      detail,
      buttons: withRam ? [rollback] : [rollback, rollbackStart],
      modal: true,
    });
    if (choice === rollback) return { kind: 'rollback', name };
    if (choice === rollbackStart) return { kind: 'rollback', name, start: true };
    return undefined;
  });
  if (result) reportSnapshot(ctx, result, vscode.l10n.t('rolled back to "{0}"', name));
  return result;
}

/** The rollback modal's words and buttons, also used by the agent tool's confirmation. */
export function rollbackSnapshotConfirmation(plan: SnapshotPlan, name: string): { message: string; detail: string; rollback: string; rollbackStart: string; withRam: boolean } {
  const rollback = vscode.l10n.t('Roll Back');
  const rollbackStart = vscode.l10n.t('Roll Back and Start');
  const withRam = plan.snapshot?.vmstate === true;
  const lines = [
    vscode.l10n.t('{0} is {1}. Snapshot "{2}" was taken {3}{4}.', targetName(plan.entry), powerLabel(plan.power), name, formatTimestamp(plan.snapshot?.snaptime), withRam ? vscode.l10n.t(' with RAM') : ''),
    '',
    vscode.l10n.t('Everything that changed since the snapshot is lost: disk contents and configuration return to that moment.'),
  ];
  if (plan.power === 'running' || plan.power === 'paused') lines.push(vscode.l10n.t('The guest is stopped first; unsaved data in it is lost.'));
  lines.push(withRam ? vscode.l10n.t('The snapshot includes RAM: the VM resumes running as it was then.') : vscode.l10n.t('Afterwards the guest stays stopped unless you choose "Roll Back and Start".'));
  return { message: vscode.l10n.t('Roll back {0} to "{1}"?', targetName(plan.entry), name), detail: lines.join('\n'), rollback, rollbackStart, withRam };
}
