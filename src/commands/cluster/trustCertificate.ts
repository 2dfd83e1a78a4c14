import * as vscode from 'vscode';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';
import { decideTrust, trustPatch } from './trustFlow';

/**
 * The deliberate re-trust action: after a certificate change (hard failure) or for a cluster
 * whose certificate the system does not trust. The old connection pool is destroyed, because
 * its sockets were accepted under the previous trust and are never checked again.
 */
export async function trustCertificate(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const session = await resolveCluster(ctx, arg);
  if (!session) return false;
  const decision = await decideTrust(ctx, session.config.url, session.config.fingerprint);
  if (!decision) return false;
  await session.reset();
  await ctx.manager.updateCluster(session.config.id, trustPatch(decision));
  const updated = ctx.manager.get(session.config.id);
  await updated?.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t('Certificate trust updated for {0}.', session.config.name));
  return true;
}
