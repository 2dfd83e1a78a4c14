import * as vscode from 'vscode';
import { PveError, isAbortError } from '../api/errors';
import type { CommandContext } from '../commands/commandContext';
import { errorText } from '../ui/errorText';
import type { ConfirmationStore } from './confirmations';
import { schemaProblems, type JsonSchema } from './inputSchema';
import { actionsAllowed, actionsDisabledText, toolsDisabledText, toolsEnabled } from './toolSettings';
import { joinOutput } from './toolText';

/** What every tool receives from `registerTools` (no globals, STYLE.md). */
export interface ToolDeps {
  readonly ctx: CommandContext;
  /** Input schemas as the manifest declares them, by tool name. */
  readonly schemas: ReadonlyMap<string, JsonSchema>;
  readonly confirmations: ConfirmationStore;
}

export type ToolKind = 'read' | 'action';

/** The input's problems against the tool's declared schema; a tool without one accepts nothing. */
export function inputProblems(deps: ToolDeps, name: string, input: unknown): string[] {
  const schema = deps.schemas.get(name);
  if (!schema) return [`${name}: no input schema is declared for this tool`];
  return schemaProblems(schema, input);
}

/**
 * The guarantees every tool answer gives, in one place: the settings are honoured, the input is
 * checked against the declared schema before anything is read or sent, failures come back as
 * explanations the model can act on (never as thrown stack traces), cancellation reaches the
 * requests, and the whole text passes the redactor, so no secret, ticket or token leaves.
 */
export async function runTool(deps: ToolDeps, name: string, kind: ToolKind, input: unknown, token: vscode.CancellationToken, body: (signal: AbortSignal) => Promise<readonly string[]>): Promise<vscode.LanguageModelToolResult> {
  const text = await answer(deps, name, kind, input, token, body);
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(deps.ctx.redactor.redact(text))]);
}

async function answer(deps: ToolDeps, name: string, kind: ToolKind, input: unknown, token: vscode.CancellationToken, body: (signal: AbortSignal) => Promise<readonly string[]>): Promise<string> {
  if (!toolsEnabled()) return toolsDisabledText();
  if (kind === 'action' && !actionsAllowed()) return actionsDisabledText();
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => { controller.abort(); });
  try {
    const problems = inputProblems(deps, name, input);
    if (problems.length > 0) return [vscode.l10n.t('The input does not fit this tool\'s schema, so nothing was read or sent:'), ...problems.map((p) => `- ${p}`)].join('\n');
    if (token.isCancellationRequested) return cancelledText();
    return joinOutput(await body(controller.signal));
  } catch (error) {
    return failureText(deps.ctx, name, error);
  } finally {
    subscription.dispose();
  }
}

function cancelledText(): string {
  return vscode.l10n.t('Cancelled before an answer arrived. If an action had been sent, its task keeps running on the server: check with proxmox_list_tasks.');
}

/** An error as a sentence plus what to do next; the API layer's reasons, never message matching. */
export function failureText(ctx: CommandContext, name: string, error: unknown): string {
  if (isAbortError(error) || PveError.is(error, 'cancelled')) return cancelledText();
  const what = errorText(error);
  if (!PveError.is(error)) {
    ctx.log.error(`Agent tool ${name} failed`, error);
    return vscode.l10n.t('The tool failed: {0}', what);
  }
  ctx.log.warn(`Agent tool ${name}: ${error.reason}: ${what}`);
  switch (error.reason) {
    case 'forbidden':
      return `${what} ${vscode.l10n.t('Tell the user which privilege is missing; do not retry. Least privilege: VM.Audit to read, VM.PowerMgmt for power actions, VM.Snapshot for snapshots.')}`;
    case 'unauthorized':
      return `${what} ${vscode.l10n.t('The user must update the token (Proxmox: Update API Token…); never ask for the secret in chat.')}`;
    case 'conflict':
      return `${what} ${vscode.l10n.t('The guest is busy or locked; check it with proxmox_get_guest_status later instead of retrying now.')}`;
    case 'tls':
      return `${what} ${vscode.l10n.t('Only the user can review and trust a certificate (Proxmox: Review and Trust Certificate…).')}`;
    default:
      return what;
  }
}

/** A read-only tool: no confirmation (it changes nothing), the same guarantees as every tool. */
export function readTool<T>(deps: ToolDeps, name: string, progress: string, run: (input: T, signal: AbortSignal) => Promise<readonly string[]>): vscode.LanguageModelTool<T> {
  return {
    prepareInvocation: () => ({ invocationMessage: progress }),
    invoke: (options, token) => runTool(deps, name, 'read', options.input, token, (signal) => run(options.input, signal)),
  };
}

/**
 * True when the call comes from a chat request, where VS Code showed our `confirmationMessages`
 * (unless the user chose to auto-approve the tool). The token is opaque (typed `never`), so only
 * its presence can be tested.
 */
export function fromChat(options: { readonly toolInvocationToken: unknown }): boolean {
  return options.toolInvocationToken !== undefined;
}
