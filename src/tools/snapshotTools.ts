import * as vscode from 'vscode';
import type { ActionTarget, PictureChange } from '../actions/actionTypes';
import type { SnapshotOperation, SnapshotPlan, SnapshotResult } from '../actions/snapshotRunner';
import { snapshotNameProblem } from '../api/paths';
import type { ClusterSession } from '../clusters/clusterSession';
import { taskCapMs } from '../commands/guest/runGuestAction';
import { nameProblemText } from '../commands/snapshot/createSnapshot';
import { deleteSnapshotConfirmation } from '../commands/snapshot/deleteSnapshot';
import { rollbackSnapshotConfirmation } from '../commands/snapshot/rollbackSnapshot';
import { snapshotRefusalText } from '../commands/snapshot/snapshotText';
import type { GuestEntry } from '../model/clusterIndex';
import { powerLabel, progressLabel, typeLongLabel, guestDisplayName } from '../tree/labels';
import { changeText, targetName } from '../ui/actionText';
import { ConfirmationStore, type ShownTarget } from './confirmations';
import { cancelledByUserText, checkingMessage, confirmationBody, outcomeLines } from './guestActionTools';
import { fromChat, inputProblems, runTool, type ToolDeps } from './toolBase';
import { SnapshotTools } from './toolNames';
import { actionsAllowed } from './toolSettings';
import { resolveGuest, type GuestTargetInput } from './targets';
import { clusterLabel, guestLine } from './toolText';

export interface SnapshotToolInput extends GuestTargetInput {
  readonly snapshot: string;
  readonly description?: string;
  readonly includeRam?: boolean;
  readonly start?: boolean;
}

type Kind = SnapshotOperation['kind'];

function operationFor(kind: Kind, input: SnapshotToolInput): SnapshotOperation {
  const name = input.snapshot.trim();
  switch (kind) {
    case 'create':
      return { kind, name, ...(input.description ? { description: input.description } : {}), ...(input.includeRam ? { vmstate: true } : {}) };
    case 'delete':
      return { kind, name };
    case 'rollback':
      return { kind, name, ...(input.start ? { start: true } : {}) };
  }
}

/** The words of a confirmation: the menu's own for delete and rollback; create has no menu modal. */
interface Wording {
  readonly message: string;
  readonly detail: string;
  /** Buttons of the fallback modal, each with the operation it stands for. */
  readonly buttons: readonly (readonly [string, SnapshotOperation])[];
}

function createWording(plan: SnapshotPlan, operation: Extract<SnapshotOperation, { kind: 'create' }>): Wording {
  const e = plan.entry;
  const lines = [
    vscode.l10n.t('{0} {1} "{2}" on node {3} is {4}.', typeLongLabel(e.type), e.vmid, guestDisplayName(e.type, e.vmid, e.name), e.node, powerLabel(plan.power)),
    '',
    operation.vmstate
      ? vscode.l10n.t('With RAM, a rollback resumes the VM exactly where it was; the snapshot is larger and takes longer.')
      : vscode.l10n.t('Disk only: the snapshot is crash-consistent.'),
    vscode.l10n.t('The guest keeps its state; the snapshot uses storage space until it is deleted.'),
  ];
  return { message: vscode.l10n.t('Take snapshot "{0}" of {1}?', operation.name, targetName(e)), detail: lines.join('\n'), buttons: [[vscode.l10n.t('Take Snapshot'), operation]] };
}

function wordingFor(plan: SnapshotPlan, operation: SnapshotOperation, forChat: boolean): Wording {
  switch (operation.kind) {
    case 'create':
      return createWording(plan, operation);
    case 'delete': {
      const { message, detail, button } = deleteSnapshotConfirmation(plan, operation.name);
      return { message, detail, buttons: [[button, operation]] };
    }
    case 'rollback': {
      const { message, detail, rollback, rollbackStart, withRam } = rollbackSnapshotConfirmation(plan, operation.name);
      const plain = { kind: 'rollback', name: operation.name } as const;
      if (!forChat) return { message, detail, buttons: withRam ? [[rollback, plain]] : [[rollback, plain], [rollbackStart, { ...plain, start: true }]] };
      // In chat there is one Continue button: say what it does instead of naming the modal's buttons.
      const lines = detail.split('\n').slice(0, -1);
      lines.push(withRam
        ? vscode.l10n.t('The snapshot includes RAM: the VM resumes running as it was then.')
        : operation.start ? vscode.l10n.t('Afterwards the guest is started.') : vscode.l10n.t('Afterwards the guest stays stopped.'));
      return { message, detail: lines.join('\n'), buttons: [] };
    }
  }
}

/** The requested operation as it may be sent: a RAM snapshot resumes by itself, so no start flag. */
function effective(plan: SnapshotPlan, operation: SnapshotOperation): SnapshotOperation {
  return operation.kind === 'rollback' && plan.snapshot?.vmstate === true ? { kind: 'rollback', name: operation.name } : operation;
}

function nameProblem(input: SnapshotToolInput): string | undefined {
  const problem = snapshotNameProblem(input.snapshot.trim());
  return problem === undefined ? undefined : vscode.l10n.t('Invalid snapshot name "{0}": {1} Nothing was sent.', input.snapshot, nameProblemText(problem) ?? '');
}

export function snapshotTool(deps: ToolDeps, kind: Kind): vscode.LanguageModelTool<SnapshotToolInput> {
  const name = SnapshotTools[kind];
  return {
    prepareInvocation: (options) => prepareSnapshot(deps, name, kind, options.input),
    invoke: (options, token) => runTool(deps, name, 'action', options.input, token, (signal) => invokeSnapshot(deps, name, kind, options, signal)),
  };
}

async function prepareSnapshot(deps: ToolDeps, name: string, kind: Kind, input: SnapshotToolInput): Promise<vscode.PreparedToolInvocation> {
  const key = ConfirmationStore.key(name, input);
  deps.confirmations.forget(key);
  try {
    if (!actionsAllowed() || inputProblems(deps, name, input).length > 0 || nameProblem(input)) return checkingMessage();
    const resolved = await resolveGuest(deps.ctx, input, 'act');
    if (!resolved.ok) return checkingMessage();
    const { session, entry } = resolved.value;
    const target: ActionTarget = { session, vmid: entry.vmid };
    if (deps.ctx.runner.isBusy(target)) return checkingMessage();
    const operation = operationFor(kind, input);
    const planned = await deps.ctx.snapshots.plan(target, operation);
    if (!planned.ok) return checkingMessage();
    const plan = planned.plan;
    deps.confirmations.remember(key, session, plan.entry);
    const { message, detail } = wordingFor(plan, effective(plan, operation), true);
    const redact = (text: string): string => deps.ctx.redactor.redact(text);
    return {
      invocationMessage: redact(`${targetName(plan.entry)}: ${progressLabel(kind === 'create' ? 'snapshot' : kind === 'delete' ? 'deleteSnapshot' : 'rollback')}`),
      confirmationMessages: { title: redact(message), message: confirmationBody(session, redact(detail)) },
    };
  } catch (error) {
    deps.ctx.log.warn(`Agent tool ${name}: could not prepare the confirmation: ${error instanceof Error ? error.message : String(error)}`);
    return checkingMessage();
  }
}

/** What changed between the chat confirmation and now, in the runner's terms. */
function changesSince(shown: ShownTarget | undefined, plan: SnapshotPlan): PictureChange[] {
  if (!shown) return [];
  const changes: PictureChange[] = [];
  if (shown.entry.node !== plan.entry.node) changes.push({ kind: 'moved', from: shown.entry.node, to: plan.entry.node });
  if (shown.entry.power !== plan.power) changes.push({ kind: 'state', from: shown.entry.power, to: plan.power });
  return changes;
}

async function invokeSnapshot(deps: ToolDeps, name: string, kind: Kind, options: vscode.LanguageModelToolInvocationOptions<SnapshotToolInput>, signal: AbortSignal): Promise<string[]> {
  const { ctx } = deps;
  const input = options.input;
  const key = ConfirmationStore.key(name, input);
  const invalid = nameProblem(input);
  if (invalid) {
    deps.confirmations.forget(key);
    return [invalid];
  }
  const resolved = await resolveGuest(ctx, input, 'act');
  if (!resolved.ok) {
    deps.confirmations.forget(key);
    return [resolved.text];
  }
  const { session, entry } = resolved.value;
  const shown = deps.confirmations.take(key, session, entry.vmid);
  const target: ActionTarget = { session, vmid: entry.vmid };
  const requested = operationFor(kind, input);
  const outcome = await ctx.snapshots.exclusive(target, async () => {
    const planned = await ctx.snapshots.plan(target, requested, signal);
    if (!planned.ok) {
      const now = planned.entry ?? entry;
      return [`${snapshotRefusalText(planned, targetName(now), requested.name)} ${vscode.l10n.t('Nothing was sent.')}`, vscode.l10n.t('Now: {0}', guestLine(session, now))];
    }
    const plan = planned.plan;
    let operation = effective(plan, requested);
    const changes = changesSince(shown, plan);
    const chatConfirmed = fromChat(options) && shown !== undefined && changes.length === 0;
    if (!chatConfirmed) {
      const chosen = await confirmInModal(deps, plan, operation, changes);
      if (!chosen) return [cancelledByUserText(session, plan.entry)];
      operation = chosen;
    }
    return execute(deps, session, { ...plan, operation }, requested, signal);
  });
  if (outcome === 'busy') return [vscode.l10n.t('Another action on {0} is still running, so nothing was sent. Check it with proxmox_get_guest_status when that has finished.', targetName(entry))];
  return outcome;
}

/** The fallback confirmation: the menu's modal (its words and buttons) for this snapshot operation. */
async function confirmInModal(deps: ToolDeps, plan: SnapshotPlan, operation: SnapshotOperation, changes: readonly PictureChange[]): Promise<SnapshotOperation | undefined> {
  const { message, detail, buttons } = wordingFor(plan, operation, false);
  const note = changes.length > 0 ? ['', vscode.l10n.t('Note: the guest changed since you clicked.'), ...changes.map(changeText)] : [];
  const choice = await deps.ctx.prompter.confirm({ message, detail: [detail, ...note].join('\n'), buttons: buttons.map(([label]) => label), modal: true });
  return buttons.find(([label]) => label === choice)?.[1];
}

async function execute(deps: ToolDeps, session: ClusterSession, plan: SnapshotPlan, requested: SnapshotOperation, signal: AbortSignal): Promise<string[]> {
  const { ctx } = deps;
  const { entry, operation } = plan;
  const clusterId = session.config.id;
  ctx.tree.setBusy(clusterId, entry.key, progressLabel(operation.kind === 'create' ? 'snapshot' : operation.kind === 'delete' ? 'deleteSnapshot' : 'rollback'));
  let result: SnapshotResult;
  try {
    result = await ctx.snapshots.execute(plan, { signal, taskCapMs: taskCapMs() });
  } finally {
    ctx.tree.setBusy(clusterId, entry.key, undefined);
    ctx.tree.invalidateSnapshots(clusterId, entry.key);
  }
  return resultLines(deps, session, entry, requested, result);
}

function doneText(operation: SnapshotOperation): string {
  switch (operation.kind) {
    case 'create':
      return operation.vmstate ? vscode.l10n.t('snapshot "{0}" taken with RAM', operation.name) : vscode.l10n.t('snapshot "{0}" taken', operation.name);
    case 'delete':
      return vscode.l10n.t('snapshot "{0}" deleted', operation.name);
    case 'rollback':
      return vscode.l10n.t('rolled back to "{0}"', operation.name);
  }
}

function resultLines(deps: ToolDeps, session: ClusterSession, entry: GuestEntry, requested: SnapshotOperation, result: SnapshotResult): string[] {
  const operation = result.plan.operation;
  const who = targetName(entry);
  const states = `${powerLabel(result.before)} → ${result.after ? powerLabel(result.after) : vscode.l10n.t('state unknown')}`;
  // The same sentence as the menu's report, with the cluster named.
  const line = `${who}: ${doneText(operation)} (${states}) (${vscode.l10n.t('cluster {0}', clusterLabel(session))})`;
  deps.ctx.log.info(`Agent tool: ${line} [${result.outcome}${result.exitStatus ? `: ${result.exitStatus}` : ''}]`);
  const lines: string[] = [];
  if (operation.kind === 'rollback' && requested.kind === 'rollback' && Boolean(operation.start) !== Boolean(requested.start)) {
    lines.push(operation.start ? vscode.l10n.t('In the confirmation the user chose to start the guest after the rollback.') : vscode.l10n.t('The guest was not started after the rollback (the user\'s choice, or the snapshot includes RAM).'));
  }
  lines.push(...outcomeLines(result.outcome, line, who, result.upid, result.exitStatus));
  // Re-check: does the snapshot list now say what was intended?
  const after = result.snapshotsAfter?.map((s) => s.name);
  if (result.outcome === 'succeeded' && after) {
    if (operation.kind === 'create' && !after.includes(operation.name)) lines.push(vscode.l10n.t('Note: "{0}" is not in the snapshot list yet; check with proxmox_list_snapshots.', operation.name));
    if (operation.kind === 'delete' && after.includes(operation.name)) lines.push(vscode.l10n.t('Note: "{0}" is still in the snapshot list; check with proxmox_list_snapshots.', operation.name));
  }
  return lines;
}
