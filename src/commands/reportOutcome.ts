import * as vscode from 'vscode';
import type { Outcome } from '../actions/actionTypes';
import { Commands } from '../constants';
import type { CommandContext } from './commandContext';

export interface OutcomeReport {
  readonly clusterId: string;
  readonly outcome: Outcome;
  /** The "VM 102 db01 on pve1: running → stopped" line. */
  readonly line: string;
  /** "VM 102 db01 on pve1", for the failure sentence. */
  readonly who: string;
  readonly upid: string | undefined;
  readonly exitStatus: string | undefined;
  /** Whether cancelled/still-running were already spoken about (the power actions offer to stop the task). */
  readonly waitingHandled: boolean;
}

/**
 * How every action ends for the user: the report line, PVE's error with the task log one click
 * away, a warning for WARNINGS and for an outcome unknown after a broken connection.
 */
export function reportOutcome(ctx: CommandContext, report: OutcomeReport): void {
  ctx.log.info(`${report.line} [${report.outcome}${report.exitStatus ? `: ${report.exitStatus}` : ''}]`);
  const showLog = vscode.l10n.t('Show Task Log');
  const open = (choice: string | undefined): void => {
    if (choice === showLog && report.upid) void vscode.commands.executeCommand(Commands.showTaskLog, report.clusterId, report.upid);
  };
  switch (report.outcome) {
    case 'succeeded':
      void ctx.prompter.notify('info', report.line);
      break;
    case 'warnings':
      void ctx.prompter.notify('warning', vscode.l10n.t('{0} (finished with {1})', report.line, report.exitStatus ?? ''), showLog).then(open);
      break;
    case 'failed':
      void ctx.prompter.notify('error', vscode.l10n.t('{0}: the task failed: {1}', report.who, report.exitStatus ?? '?'), showLog).then(open);
      break;
    case 'unknown':
      void ctx.prompter.notify('warning', vscode.l10n.t('The connection broke after the request was sent, so it was not repeated. {0}', report.line));
      break;
    case 'stillRunning':
    case 'cancelled':
      if (!report.waitingHandled) void ctx.prompter.notify('warning', vscode.l10n.t('Stopped waiting. The task keeps running on the server.'), showLog).then(open);
      break;
  }
}
