import * as vscode from 'vscode';
import { PveError } from '../../api/errors';
import { makeClusterId, type ClusterConfig } from '../../model/connectionConfig';
import { errorText } from '../../ui/errorText';
import type { CommandContext } from '../commandContext';
import { describeAccess, testConnection } from './connectionTest';
import { decideTrust, trustPatch } from './trustFlow';

/**
 * The common tail of "Add Cluster" and "Import from Environment": trust the certificate
 * knowingly, check the token once, then store the secret in SecretStorage and the rest in settings.
 */
export async function establishAndSave(ctx: CommandContext, draft: { url: string; tokenId: string; secret: string; name: string }): Promise<boolean> {
  const decision = await decideTrust(ctx, draft.url);
  if (!decision) return false;
  const existing = new Set(ctx.manager.sessions.map((s) => s.config.id));
  const config: ClusterConfig = stripUndefined({ id: makeClusterId(draft.name, existing), name: draft.name, url: draft.url, tokenId: draft.tokenId, ...trustPatch(decision) });
  ctx.redactor.addSecret(draft.secret);
  try {
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', draft.url), cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => { controller.abort(); });
        return testConnection(config, draft.secret, controller.signal);
      },
    );
    ctx.log.info(`Connected to ${draft.url}: PVE ${report.version}, token may: ${describeAccess(report.access)}`);
  } catch (error) {
    if (PveError.is(error, 'cancelled')) return false;
    const save = vscode.l10n.t('Save Anyway');
    const choice = await ctx.prompter.confirm({
      message: vscode.l10n.t('The connection test failed'),
      detail: ctx.redactor.redact(errorText(error)),
      buttons: [save],
      modal: true,
    });
    if (choice !== save) return false;
  }
  await ctx.manager.addCluster(config, draft.secret);
  void ctx.manager.get(config.id)?.refresh();
  return true;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
