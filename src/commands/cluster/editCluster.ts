import * as vscode from 'vscode';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';
import { askName, askUrl } from './clusterInputs';
import { decideTrust, trustPatch } from './trustFlow';
import { updateToken } from './updateToken';

/** "Edit…": change the address (re-establishing trust), the token, or the name. */
export async function editCluster(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const session = await resolveCluster(ctx, arg);
  if (!session) return false;
  const choice = await ctx.prompter.pick({
    title: vscode.l10n.t('Edit {0}', session.config.name),
    placeHolder: vscode.l10n.t('What do you want to change?'),
    items: [
      { label: vscode.l10n.t('Address'), description: session.config.url, value: 'url' as const },
      { label: vscode.l10n.t('API token'), description: session.config.tokenId ?? '', value: 'token' as const },
      { label: vscode.l10n.t('Display name'), description: session.config.name, value: 'name' as const },
    ],
  });
  if (choice === 'token') return updateToken(ctx, session.config.id);
  if (choice === 'name') return renameCluster(ctx, session.config.id);
  if (choice !== 'url') return false;
  const url = await askUrl(ctx.prompter, session.config.url);
  if (!url || url === session.config.url) return false;
  // A new address is a new server as far as trust goes: the old pin does not carry over.
  const decision = await decideTrust(ctx, url);
  if (!decision) return false;
  await session.reset();
  await ctx.manager.updateCluster(session.config.id, { url, ...trustPatch(decision) });
  void ctx.manager.get(session.config.id)?.refresh();
  return true;
}

export async function renameCluster(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const session = await resolveCluster(ctx, arg);
  if (!session) return false;
  const name = await askName(ctx.prompter, session.config.name);
  if (!name || name === session.config.name) return false;
  await ctx.manager.updateCluster(session.config.id, { name });
  return true;
}
