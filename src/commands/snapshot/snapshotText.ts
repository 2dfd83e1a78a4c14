import * as vscode from 'vscode';
import type { SnapshotPlanResult, SnapshotResult } from '../../actions/snapshotRunner';
import { powerLabel } from '../../tree/labels';
import { targetName } from '../../ui/actionText';
import { refusalText } from '../guest/runGuestAction';
import type { CommandContext } from '../commandContext';
import { reportOutcome } from '../reportOutcome';

/** Refusals and reports of the snapshot commands, in the same shape as the power actions'. */
export function snapshotRefusalText(planned: Extract<SnapshotPlanResult, { ok: false }>, who: string, name: string): string {
  switch (planned.reason) {
    case 'snapshotMissing':
      return vscode.l10n.t('{0}: the snapshot "{1}" no longer exists.', who, name);
    case 'nameTaken':
      return vscode.l10n.t('{0} already has a snapshot named "{1}".', who, name);
    case 'incomplete':
      return vscode.l10n.t('{0}: "{1}" is incomplete (still being created or deleted); Proxmox VE cannot roll back to it.', who, name);
    case 'ramNeedsRunningVm':
      return vscode.l10n.t('{0}: RAM can only be included for a running VM.', who);
    case 'template':
      return vscode.l10n.t('{0} is a template; templates have no snapshots.', who);
    default:
      return refusalText(planned.reason, who, 'start', planned.entry?.resource.lock);
  }
}

export function reportSnapshot(ctx: CommandContext, result: SnapshotResult, done: string): void {
  const who = targetName(result.plan.entry);
  const states = `${powerLabel(result.before)} → ${result.after ? powerLabel(result.after) : vscode.l10n.t('state unknown')}`;
  reportOutcome(ctx, {
    clusterId: result.plan.target.session.config.id,
    outcome: result.outcome,
    line: `${who}: ${done} (${states})`,
    who,
    upid: result.upid,
    exitStatus: result.exitStatus,
    waitingHandled: false,
  });
}
