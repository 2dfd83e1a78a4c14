import * as vscode from 'vscode';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';
import { MissingSecretError } from '../../clusters/clusterSession';
import { describeAccess, describeServer, testConnection, type ConnectionReport } from './connectionTest';

/** "Test Connection": version, cluster name, and what the token's privileges allow. */
export async function testConnectionCommand(ctx: CommandContext, arg?: unknown): Promise<ConnectionReport | undefined> {
  const session = await resolveCluster(ctx, arg);
  if (!session) return undefined;
  // A signed-in user (or the local pvesh) is tested over the session's own connection.
  const secret = session.authKind === 'token' ? await ctx.manager.secrets.getTokenSecret(session.config.id) : undefined;
  if (session.authKind === 'token' && !secret) throw new MissingSecretError();
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing {0}…', session.config.name), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => { controller.abort(); });
      return secret !== undefined ? testConnection(session.config, secret, controller.signal) : describeServer(await session.client(), controller.signal);
    },
  );
  await ctx.prompter.confirm({
    message: vscode.l10n.t('Connected to {0}', session.config.name),
    detail: [
      vscode.l10n.t('Proxmox VE {0}', report.version),
      report.clusterName ? vscode.l10n.t('Cluster "{0}" with {1} nodes', report.clusterName, report.nodes) : vscode.l10n.t('Standalone node'),
      session.authKind === 'ticket'
        ? vscode.l10n.t('User {0} may: {1}', session.config.username ?? '', describeAccess(report.access))
        : vscode.l10n.t('Token {0} may: {1}', session.config.tokenId ?? '', describeAccess(report.access)),
    ].join('\n'),
    buttons: [],
    modal: true,
    severity: 'info',
  });
  return report;
}
