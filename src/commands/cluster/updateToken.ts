import * as vscode from 'vscode';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';
import { askSecret, askTokenId } from './clusterInputs';

/** "Update Token…": the one fix for a 401 (revoked, expired or mistyped token). */
export async function updateToken(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const session = await resolveCluster(ctx, arg);
  if (!session) return false;
  const tokenId = await askTokenId(ctx.prompter, session.config.tokenId);
  if (!tokenId) return false;
  const secret = await askSecret(ctx.prompter, tokenId);
  if (!secret) return false;
  ctx.redactor.addSecret(secret);
  await ctx.manager.secrets.setTokenSecret(session.config.id, secret);
  if (tokenId !== session.config.tokenId) await ctx.manager.updateCluster(session.config.id, { tokenId });
  const current = ctx.manager.get(session.config.id);
  if (current) {
    await current.reset();
    await current.reloadPermissions().catch(() => undefined);
    await current.refresh();
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Token updated for {0}.', session.config.name));
  return true;
}
