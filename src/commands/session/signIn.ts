import * as vscode from 'vscode';
import { trustFor } from '../../clusters/trustConfig';
import type { CommandContext } from '../commandContext';
import { signInInteractive } from './signInFlow';
import { resolveTicketCluster } from './ticketClusters';

/** "Sign In…" for a password cluster: first time after adding it, after "Sign Out", or when the ticket lapsed. */
export async function signIn(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const session = await resolveTicketCluster(ctx, arg, true);
  if (!session) return false;
  const { config } = session;
  const info = await signInInteractive(ctx, { url: config.url, trust: await trustFor(config), ...(config.username ? { username: config.username } : {}) });
  if (!info) return false;
  const { serializeTicket, ticketSecrets } = await import('../../api/ticketAuth');
  for (const secret of ticketSecrets(info)) ctx.redactor.addSecret(secret);
  // Ticket first: the session that reads it must find the matching user name.
  await ctx.manager.secrets.setTicket(config.id, serializeTicket(info));
  if (info.username !== config.username) await ctx.manager.updateCluster(config.id, { username: info.username });
  const current = ctx.manager.get(config.id);
  if (current) {
    await current.reset();
    await current.reloadPermissions().catch(() => undefined);
    await current.refresh();
  }
  ctx.log.info(`Signed in to ${config.name} as ${info.username}`);
  void ctx.prompter.notify('info', vscode.l10n.t('Signed in to {0} as {1}.', config.name, info.username));
  return true;
}
