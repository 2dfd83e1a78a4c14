import * as vscode from 'vscode';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';

/** "Remove": drops the settings entry and deletes the token secret from SecretStorage. */
export async function removeCluster(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const session = await resolveCluster(ctx, arg);
  if (!session) return false;
  const remove = vscode.l10n.t('Remove');
  const choice = await ctx.prompter.confirm({
    message: vscode.l10n.t('Remove the cluster {0}?', session.config.name),
    detail: vscode.l10n.t('{0}\nIts API token secret is deleted from VS Code\'s secret storage. Nothing changes on the server.', session.config.url),
    buttons: [remove],
    modal: true,
  });
  if (choice !== remove) return false;
  await ctx.manager.removeCluster(session.config.id);
  return true;
}
