import * as vscode from 'vscode';
import type { GuestAction } from '../api/client';
import type { ActionPlan, ActionResult, ActionTarget, Outcome } from '../actions/actionTypes';
import type { ClusterSession } from '../clusters/clusterSession';
import { confirmGuestAction, refusalText, taskCapMs } from '../commands/guest/runGuestAction';
import { ACTION_RULES } from '../model/actionPolicy';
import type { GuestEntry } from '../model/clusterIndex';
import { actionLabel, powerLabel, progressLabel } from '../tree/labels';
import { confirmationFor, reportLine, targetName } from '../ui/actionText';
import { ConfirmationStore } from './confirmations';
import { fromChat, inputProblems, runTool, type ToolDeps } from './toolBase';
import { GuestActionTools } from './toolNames';
import { actionsAllowed } from './toolSettings';
import { resolveGuest, type GuestTargetInput } from './targets';
import { clusterLabel, guestLine, safeMarkdown } from './toolText';

/**
 * The lifecycle actions as agent tools. They run the menu's own pieces: the runner's lookup,
 * re-read and refusal (`plan`), the menu's modal when no chat confirmation covers the request,
 * the runner's single send, task wait and re-read (`execute`), and the menu's report line.
 */
export function guestActionTool(deps: ToolDeps, action: GuestAction): vscode.LanguageModelTool<GuestTargetInput> {
  const name = GuestActionTools[action];
  return {
    prepareInvocation: (options) => prepareGuestAction(deps, name, action, options.input),
    invoke: (options, token) => runTool(deps, name, 'action', options.input, token, (signal) => invokeGuestAction(deps, name, action, options, signal)),
  };
}

export function checkingMessage(): vscode.PreparedToolInvocation {
  return { invocationMessage: vscode.l10n.t('Checking the Proxmox request…') };
}

/** The chat confirmation's body: the cluster, then the menu modal's own sentences. */
export function confirmationBody(session: ClusterSession, detail: string): vscode.MarkdownString {
  return safeMarkdown([
    vscode.l10n.t('Cluster: {0}', clusterLabel(session)),
    ...detail.split('\n').filter((line) => line.trim() !== ''),
    vscode.l10n.t('Requested by an AI agent. The guest is read again before anything is sent, and nothing is sent if it changed.'),
  ]);
}

/**
 * Looks the target up and re-reads it (GET only: `prepareInvocation` must have no side effects),
 * and asks for a confirmation only when there is exactly one guest the action fits. Ambiguous,
 * refused or disabled requests get no confirmation: their invoke explains and sends nothing.
 */
async function prepareGuestAction(deps: ToolDeps, name: string, action: GuestAction, input: GuestTargetInput): Promise<vscode.PreparedToolInvocation> {
  const key = ConfirmationStore.key(name, input);
  deps.confirmations.forget(key);
  try {
    if (!actionsAllowed() || inputProblems(deps, name, input).length > 0) return checkingMessage();
    const resolved = await resolveGuest(deps.ctx, input, 'act');
    if (!resolved.ok) return checkingMessage();
    const { session, entry } = resolved.value;
    const target: ActionTarget = { session, vmid: entry.vmid };
    if (deps.ctx.runner.isBusy(target)) return checkingMessage();
    const planned = await deps.ctx.runner.plan(target, action);
    if (!planned.ok) return checkingMessage();
    const plan = planned.plan;
    deps.confirmations.remember(key, session, plan.entry);
    const { message, detail } = confirmationFor(plan, actionLabel(action));
    const redact = (text: string): string => deps.ctx.redactor.redact(text);
    return {
      invocationMessage: redact(`${targetName(plan.entry)}: ${progressLabel(action)}`),
      confirmationMessages: { title: redact(message), message: confirmationBody(session, redact(detail)) },
    };
  } catch (error) {
    deps.ctx.log.warn(`Agent tool ${name}: could not prepare the confirmation: ${error instanceof Error ? error.message : String(error)}`);
    return checkingMessage();
  }
}

async function invokeGuestAction(deps: ToolDeps, name: string, action: GuestAction, options: vscode.LanguageModelToolInvocationOptions<GuestTargetInput>, signal: AbortSignal): Promise<string[]> {
  const { ctx } = deps;
  const key = ConfirmationStore.key(name, options.input);
  const resolved = await resolveGuest(ctx, options.input, 'act');
  if (!resolved.ok) {
    deps.confirmations.forget(key);
    return [resolved.text];
  }
  const { session, entry } = resolved.value;
  const shown = deps.confirmations.take(key, session, entry.vmid);
  // `seen` makes the runner report a guest that moved or changed state since the user was asked.
  const target: ActionTarget = { session, vmid: entry.vmid, ...(shown ? { seen: shown.entry } : {}) };
  const outcome = await ctx.runner.exclusive(target, async () => {
    const planned = await ctx.runner.plan(target, action, signal);
    if (!planned.ok) return refusalLines(session, planned.reason, planned.entry ?? entry, action);
    let plan: ActionPlan = planned.plan;
    // A chat confirmation counts only for the guest and state it showed; anything else (no chat,
    // no confirmation shown, the guest changed since) gets the menu's own modal.
    const chatConfirmed = fromChat(options) && shown !== undefined && plan.changes.length === 0;
    if (!chatConfirmed) {
      const confirmed = await confirmGuestAction(ctx, plan);
      if (!confirmed) return [cancelledByUserText(session, plan.entry)];
      plan = confirmed;
    }
    const result = await ctx.runner.execute(plan, { signal, taskCapMs: taskCapMs() });
    return resultLines(deps, session, action, result);
  });
  if (outcome === 'busy') return [vscode.l10n.t('Another action on {0} is still running, so nothing was sent. Check it with proxmox_get_guest_status when that has finished.', targetName(entry))];
  return outcome;
}

export function cancelledByUserText(session: ClusterSession, entry: GuestEntry): string {
  return vscode.l10n.t('Cancelled by the user: nothing was sent to {0} (cluster {1}). Do not retry unless the user asks again.', targetName(entry), clusterLabel(session));
}

function refusalLines(session: ClusterSession, reason: Parameters<typeof refusalText>[0], entry: GuestEntry, action: GuestAction): string[] {
  const text = refusalText(reason, targetName(entry), action, entry.resource.lock);
  const sentAlready = reason === 'unknownState' || reason === 'wrongState';
  return [
    sentAlready ? text : `${text} ${vscode.l10n.t('Nothing was sent.')}`,
    vscode.l10n.t('Now: {0}', guestLine(session, entry)),
  ];
}

/** The outcome in the words the menu uses, plus what the model may do next. */
export function outcomeLines(outcome: Outcome, line: string, who: string, upid: string | undefined, exitStatus: string | undefined): string[] {
  const task = upid ? [vscode.l10n.t('Task: {0}', upid)] : [];
  switch (outcome) {
    case 'succeeded':
      return [line, vscode.l10n.t('The task finished OK.'), ...task];
    case 'warnings':
      return [vscode.l10n.t('{0} (finished with {1})', line, exitStatus ?? ''), vscode.l10n.t('See the warnings with proxmox_get_task_log.'), ...task];
    case 'failed':
      return [vscode.l10n.t('{0}: the task failed: {1}', who, exitStatus ?? '?'), line, vscode.l10n.t('See proxmox_get_task_log; do not retry without asking the user.'), ...task];
    case 'unknown':
      return [vscode.l10n.t('The connection broke after the request was sent, so it was not repeated. {0}', line), vscode.l10n.t('Check with proxmox_get_guest_status; do not send it again without asking the user.')];
    case 'stillRunning':
      return [vscode.l10n.t('The task is still running after the waiting limit.'), line, vscode.l10n.t('It keeps running on the server; check later with proxmox_list_tasks.'), ...task];
    case 'cancelled':
      return [vscode.l10n.t('Stopped waiting. The task keeps running on the server.'), line, ...task];
  }
}

function resultLines(deps: ToolDeps, session: ClusterSession, requested: GuestAction, result: ActionResult): string[] {
  const line = `${reportLine(result)} (${vscode.l10n.t('cluster {0}', clusterLabel(session))})`;
  deps.ctx.log.info(`Agent tool: ${line} [${result.outcome}${result.exitStatus ? `: ${result.exitStatus}` : ''}]`);
  const done = result.plan.action;
  const lines: string[] = [];
  if (done !== requested) lines.push(vscode.l10n.t('In the confirmation the user chose {0} instead of {1}.', actionLabel(done), actionLabel(requested)));
  lines.push(...outcomeLines(result.outcome, line, targetName(result.plan.entry), result.upid, result.exitStatus));
  const expected = ACTION_RULES[done].expect;
  if (result.outcome === 'succeeded' && result.after !== undefined && result.after !== expected) {
    lines.push(vscode.l10n.t('Note: the guest is {0} now, not {1} as expected; check it with proxmox_get_guest_status.', powerLabel(result.after), powerLabel(expected)));
  }
  return lines;
}
