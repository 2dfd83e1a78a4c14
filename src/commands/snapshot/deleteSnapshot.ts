import * as vscode from 'vscode';
import type { SnapshotPlan, SnapshotResult } from '../../actions/snapshotRunner';
import { formatTimestamp } from '../../model/format';
import { targetName } from '../../ui/actionText';
import type { CommandContext } from '../commandContext';
import { runSnapshotOperation } from './runSnapshotOperation';
import { resolveSnapshotTarget } from './snapshotTargets';
import { reportSnapshot } from './snapshotText';

/** "Delete Snapshot…": destructive, always confirmed with the snapshot and guest named. */
export async function deleteSnapshot(ctx: CommandContext, ...args: unknown[]): Promise<SnapshotResult | undefined> {
  const resolved = await resolveSnapshotTarget(ctx, args);
  if (!resolved) return undefined;
  const { target, name } = resolved;
  const result = await runSnapshotOperation(ctx, target, { kind: 'delete', name }, async (plan) => {
    const { message, detail, button } = deleteSnapshotConfirmation(plan, name);
    const choice = await ctx.prompter.confirm({ message, detail, buttons: [button], modal: true });
    return choice === button ? { kind: 'delete', name } : undefined;
  });
  if (result) reportSnapshot(ctx, result, vscode.l10n.t('snapshot "{0}" deleted', name));
  return result;
}

/** The delete modal's words, also used by the agent tool's confirmation. */
export function deleteSnapshotConfirmation(plan: SnapshotPlan, name: string): { message: string; detail: string; button: string } {
  const button = vscode.l10n.t('Delete Snapshot');
  const children = plan.snapshots.filter((s) => s.parent === name && s.name !== 'current').map((s) => s.name);
  const lines = [
    vscode.l10n.t('Snapshot "{0}" of {1}, taken {2}{3}.', name, targetName(plan.entry), formatTimestamp(plan.snapshot?.snaptime), plan.snapshot?.vmstate ? vscode.l10n.t(' with RAM') : ''),
    '',
    vscode.l10n.t('The snapshot and its saved state are removed for good; you can no longer roll back to it. The guest itself is not changed.'),
  ];
  if (children.length > 0) lines.push(vscode.l10n.t('Its child snapshots ({0}) are re-attached to its parent.', children.join(', ')));
  return { message: vscode.l10n.t('Delete snapshot "{0}" of {1}?', name, targetName(plan.entry)), detail: lines.join('\n'), button };
}
