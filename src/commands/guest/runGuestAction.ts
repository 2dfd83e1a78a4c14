import * as vscode from 'vscode';
import type { GuestAction } from '../../api/client';
import type { ActionPlan, ActionResult, ActionTarget, PlanResult } from '../../actions/actionTypes';
import { Commands, Settings } from '../../constants';
import { needsConfirmation, type ActionRefusal } from '../../model/actionPolicy';
import { actionLabel, progressLabel } from '../../tree/labels';
import { confirmationFor, reportLine, targetName } from '../../ui/actionText';
import { errorText } from '../../ui/errorText';
import type { CommandContext } from '../commandContext';
import { reportOutcome } from '../reportOutcome';
import { resolveGuestTargets } from './guestTargets';

const CONCURRENCY = 3;

/**
 * A lifecycle action from a menu or the palette, on one guest or a selection: re-read, refuse
 * what no longer fits, confirm with the exact target named, send once, follow the task, re-read,
 * report "running → stopped".
 */
export async function runGuestAction(ctx: CommandContext, action: GuestAction, args: readonly unknown[]): Promise<ActionResult[]> {
  const targets = await resolveGuestTargets(ctx, args, action);
  if (targets.length === 0) return [];
  if (targets.length === 1 && targets[0]) return runSingle(ctx, action, targets[0]);
  return runMany(ctx, action, targets);
}

function relaxed(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.relaxConfirmations) === true;
}

/** How long a task is followed before the runner stops waiting (`proxmox.tasks.waitMinutes`). */
export function taskCapMs(): number {
  const minutes = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.taskWaitMinutes) ?? 15;
  return Math.max(1, minutes) * 60_000;
}

async function runSingle(ctx: CommandContext, action: GuestAction, target: ActionTarget): Promise<ActionResult[]> {
  const outcome = await ctx.runner.exclusive(target, async () => {
    const planned = await ctx.runner.plan(target, action);
    if (!planned.ok) {
      explainRefusal(ctx, planned, target, action);
      return [];
    }
    let plan = planned.plan;
    if (needsConfirmation(plan.caution, relaxed()) || plan.changes.length > 0) {
      const confirmed = await confirmGuestAction(ctx, plan);
      if (confirmed === undefined) return [];
      plan = confirmed;
    }
    const result = await executeWithProgress(ctx, plan);
    report(ctx, result);
    return [result];
  });
  if (outcome === 'busy') {
    void ctx.prompter.notify('info', vscode.l10n.t('An action on {0} {1} is already running.', target.session.config.name, target.vmid));
    return [];
  }
  return outcome;
}

/**
 * The modal of a single-guest action, naming the guest, its state and the consequence; a running
 * guest's Stop also offers Shutdown. Resolves to the plan to execute (possibly the graceful one),
 * or undefined when dismissed. Shared by the menus and the agent tools' fallback confirmation.
 */
export async function confirmGuestAction(ctx: CommandContext, plan: ActionPlan): Promise<ActionPlan | undefined> {
  const label = actionLabel(plan.action);
  const shutdownInstead = vscode.l10n.t('Shutdown Instead');
  const { message, detail } = confirmationFor(plan, label);
  const offerShutdown = plan.action === 'stop' && plan.entry.power === 'running';
  const choice = await ctx.prompter.confirm({ message, detail, buttons: offerShutdown ? [label, shutdownInstead] : [label], modal: true });
  if (choice === undefined) return undefined;
  // The user picked the graceful action in the modal itself: no second question.
  if (choice === shutdownInstead) return { ...plan, action: 'shutdown', caution: 'confirm' };
  return plan;
}

async function executeWithProgress(ctx: CommandContext, plan: ActionPlan): Promise<ActionResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${targetName(plan.entry)}: ${progressLabel(plan.action)}`, cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => { controller.abort(); });
      return ctx.runner.execute(plan, { signal: controller.signal, taskCapMs: taskCapMs() });
    },
  );
  if ((result.outcome === 'cancelled' || result.outcome === 'stillRunning') && result.upid) {
    await offerStopTask(ctx, plan.target, result.upid, result.outcome);
  }
  return result;
}

async function offerStopTask(ctx: CommandContext, target: ActionTarget, upid: string, outcome: 'cancelled' | 'stillRunning'): Promise<void> {
  const stop = vscode.l10n.t('Stop Task on Server');
  const showLog = vscode.l10n.t('Show Task Log');
  const message = outcome === 'cancelled'
    ? vscode.l10n.t('Stopped waiting. The task keeps running on the server.')
    : vscode.l10n.t('The task is still running after the waiting limit.');
  const choice = await ctx.prompter.notify('warning', message, stop, showLog);
  if (choice === showLog) await vscode.commands.executeCommand(Commands.showTaskLog, target.session.config.id, upid);
  if (choice === stop) await vscode.commands.executeCommand(Commands.stopTask, target.session.config.id, upid);
}

function report(ctx: CommandContext, result: ActionResult): void {
  reportOutcome(ctx, {
    clusterId: result.plan.target.session.config.id,
    outcome: result.outcome,
    line: reportLine(result),
    who: targetName(result.plan.entry),
    upid: result.upid,
    exitStatus: result.exitStatus,
    waitingHandled: true, // offerStopTask already spoke
  });
}

function explainRefusal(ctx: CommandContext, planned: Extract<PlanResult, { ok: false }>, target: ActionTarget, action: GuestAction): void {
  const who = planned.entry ? targetName(planned.entry) : `${target.session.config.name} ${target.vmid}`;
  void ctx.prompter.notify('warning', refusalText(planned.reason, who, action, planned.entry?.resource.lock));
}

export function refusalText(reason: ActionRefusal | 'notFound' | 'busy', who: string, action: GuestAction, lock?: string): string {
  const label = actionLabel(action);
  switch (reason) {
    case 'notFound':
      return vscode.l10n.t('{0}: the guest no longer exists or is not visible to this token.', who);
    case 'busy':
      return vscode.l10n.t('{0}: another action is already running.', who);
    case 'template':
      return vscode.l10n.t('{0} is a template; templates cannot be started or stopped.', who);
    case 'unknownState':
      return vscode.l10n.t('{0}: its state is unknown (is its node offline?), so nothing was sent.', who);
    case 'locked':
      return vscode.l10n.t('{0} is locked ({1}); wait for the running operation to finish.', who, lock ?? '?');
    case 'wrongType':
      return vscode.l10n.t('{0}: {1} does not exist for this guest type.', who, label);
    case 'wrongState':
      return vscode.l10n.t('{0}: {1} does not apply in its current state; nothing was sent.', who, label);
    case 'haToDisk':
      return vscode.l10n.t('{0} is managed by HA and cannot hibernate.', who);
  }
}

async function runMany(ctx: CommandContext, action: GuestAction, targets: ActionTarget[]): Promise<ActionResult[]> {
  const reserved = targets.filter((t) => ctx.runner.tryReserve(t));
  try {
    const plans: ActionPlan[] = [];
    const skipped: string[] = [];
    for (const target of reserved) {
      try {
        const planned = await ctx.runner.plan(target, action);
        if (planned.ok) plans.push(planned.plan);
        else skipped.push(refusalText(planned.reason, planned.entry ? targetName(planned.entry) : String(target.vmid), action, planned.entry?.resource.lock));
      } catch (error) {
        skipped.push(`${target.session.config.name} ${target.vmid}: ${errorText(error)}`);
      }
    }
    for (const target of targets) if (!reserved.includes(target)) skipped.push(vscode.l10n.t('{0} {1}: another action is already running.', target.session.config.name, target.vmid));
    if (plans.length === 0) {
      void ctx.prompter.notify('warning', vscode.l10n.t('Nothing to do: {0}', skipped.join(' ')));
      return [];
    }
    const label = actionLabel(action);
    const mustAsk = plans.some((p) => needsConfirmation(p.caution, relaxed()) || p.changes.length > 0);
    if (mustAsk) {
      const detail = [
        ...plans.map((p) => `• ${targetName(p.entry)} (${p.entry.power})`),
        ...(skipped.length > 0 ? ['', vscode.l10n.t('Skipped:'), ...skipped.map((s) => `• ${s}`)] : []),
        '',
        plans[0] ? confirmationFor(plans[0], label).detail.split('\n').slice(2).join('\n') : '',
      ].join('\n');
      const choice = await ctx.prompter.confirm({ message: vscode.l10n.t('{0} {1} guests?', label, plans.length), detail, buttons: [label], modal: true });
      if (choice !== label) return [];
    }
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('{0}: {1} guests', label, plans.length), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => { controller.abort(); });
        const out: ActionResult[] = [];
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < plans.length) {
            const plan = plans[next++];
            if (!plan) break;
            try {
              out.push(await ctx.runner.execute(plan, { signal: controller.signal, taskCapMs: taskCapMs() }));
            } catch (error) {
              out.push({ plan, outcome: 'failed', before: plan.entry.power, after: undefined, nodeAfter: undefined, upid: undefined, exitStatus: errorText(error), error });
            }
            progress.report({ message: `${out.length}/${plans.length}`, increment: 100 / plans.length });
          }
        };
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, plans.length) }, worker));
        return out;
      },
    );
    summarize(ctx, label, results, skipped);
    return results;
  } finally {
    for (const target of reserved) ctx.runner.release(target);
  }
}

function summarize(ctx: CommandContext, label: string, results: ActionResult[], skipped: string[]): void {
  const ok = results.filter((r) => r.outcome === 'succeeded' || r.outcome === 'warnings');
  const failed = results.filter((r) => !ok.includes(r));
  const lines = [
    ...ok.map((r) => reportLine(r)),
    ...failed.map((r) => `${targetName(r.plan.entry)}: ${r.outcome === 'failed' ? vscode.l10n.t('failed: {0}', r.exitStatus ?? '?') : r.outcome}`),
    ...skipped,
  ];
  for (const line of lines) ctx.log.info(`${label}: ${line}`);
  const summary = vscode.l10n.t('{0}: {1} succeeded, {2} failed, {3} skipped.', label, ok.length, failed.length, skipped.length);
  void ctx.prompter.notify(failed.length > 0 || skipped.length > 0 ? 'warning' : 'info', `${summary} ${lines.join('; ')}`);
}
