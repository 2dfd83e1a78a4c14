import type * as vscode from 'vscode';
import type { ClusterManager } from './clusters/clusterManager';
import type { CommandContext } from './commands/commandContext';
import type { ClustersTreeProvider } from './tree/clustersTreeProvider';
import type { TasksTreeProvider } from './tree/tasks/tasksTreeProvider';
import type { Prompter } from './ui/prompter';
import type { ShellSession } from './terminal/shellSessions';

/**
 * Handed to the integration tests by `activate` in ExtensionMode.Test only. In any other mode
 * `activate` returns nothing: another extension must never be able to answer our confirmations.
 */
export interface TestApi {
  readonly manager: ClusterManager;
  readonly tree: ClustersTreeProvider;
  readonly tasks: TasksTreeProvider;
  /** The language model tool implementations by name, to call `prepareInvocation` directly. */
  readonly tools: ReadonlyMap<string, vscode.LanguageModelTool<object>>;
  /** Keys the extension keeps in globalState/workspaceState: tests check no secret is there. */
  stateKeys(): { global: readonly string[]; workspace: readonly string[] };
  stateValues(): string;
  /** Where the extension's log channel writes (context.logUri). */
  readonly logDirectory: string;
  setPrompter(prompter: Prompter): void;
  resetPrompter(): void;
  /** Replaces `vscode.env.openExternal` (URLs are checked, no browser opens); undefined restores it. */
  setOpenExternal(opener: ((uri: vscode.Uri) => Thenable<boolean>) | undefined): void;
  /** The open "Open Shell" terminals with what they printed. */
  shells(): readonly ShellSession[];
  /** Every line given to the log channel since activation, all levels, after redaction. */
  logLines(): readonly string[];
}

export function createTestApi(
  ctx: CommandContext,
  defaultPrompter: Prompter,
  tools: ReadonlyMap<string, vscode.LanguageModelTool<object>> = new Map(),
  logLines: () => readonly string[] = () => [],
): TestApi {
  const defaultOpener = ctx.openExternal;
  return {
    manager: ctx.manager,
    tree: ctx.tree,
    tasks: ctx.tasks,
    tools,
    stateKeys: () => ({ global: ctx.extension.globalState.keys(), workspace: ctx.extension.workspaceState.keys() }),
    logDirectory: ctx.extension.logUri.fsPath,
    stateValues: () =>
      JSON.stringify([
        ...ctx.extension.globalState.keys().map((k) => ctx.extension.globalState.get<unknown>(k)),
        ...ctx.extension.workspaceState.keys().map((k) => ctx.extension.workspaceState.get<unknown>(k)),
      ]),
    setPrompter: (prompter) => {
      ctx.prompter = prompter;
    },
    resetPrompter: () => {
      ctx.prompter = defaultPrompter;
    },
    setOpenExternal: (opener) => {
      ctx.openExternal = opener ?? defaultOpener;
    },
    shells: () => ctx.shells.list(),
    logLines,
  };
}
