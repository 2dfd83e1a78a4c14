import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext';
import { resolveTicketCluster } from './ticketClusters';

/**
 * "Sign Out": forgets the ticket here. PVE has no logout: a ticket stays valid on the server until
 * its 2 h end, which the message says plainly.
 */
export async function signOut(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const session = await resolveTicketCluster(ctx, arg, false);
  if (!session) return false;
  await ctx.manager.secrets.deleteTicket(session.config.id);
  await session.reset();
  await session.refresh();
  ctx.log.info(`Signed out of ${session.config.name}`);
  void ctx.prompter.notify(
    'info',
    vscode.l10n.t('Signed out of {0}. Proxmox VE cannot revoke tickets: the old one stays valid on the server until it expires (at most 2 hours).', session.config.name),
  );
  return true;
}
