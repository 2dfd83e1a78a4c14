import * as vscode from 'vscode';
import { readEnvImport, type EnvImportProblem } from '../../model/connectionConfig';
import type { CommandContext } from '../commandContext';
import { establishAndSave } from './saveCluster';

/**
 * Offers the connection described by PVE_HOST / PVE_USER / PVE_REALM / PVE_TOKEN_ID /
 * PVE_TOKEN_SECRET. Never silent: the user sees what will be added and confirms it.
 */
export async function importFromEnv(ctx: CommandContext, env: Readonly<Record<string, string | undefined>> = process.env): Promise<boolean> {
  const result = readEnvImport(env);
  if (!result) {
    void vscode.window.showInformationMessage(vscode.l10n.t('PVE_HOST, PVE_TOKEN_ID and PVE_TOKEN_SECRET are not set in VS Code\'s environment.'));
    return false;
  }
  if (!result.ok) {
    void vscode.window.showWarningMessage(envProblemText(result.problem));
    return false;
  }
  const { url, tokenId, secret, name } = result.value;
  const add = vscode.l10n.t('Add Cluster');
  const choice = await ctx.prompter.confirm({
    message: vscode.l10n.t('Add the cluster from the environment variables?'),
    detail: vscode.l10n.t('URL: {0}\nToken: {1}\nThe secret from PVE_TOKEN_SECRET will be stored in VS Code\'s secret storage.', url, tokenId),
    buttons: [add],
    modal: true,
    severity: 'info',
  });
  if (choice !== add) return false;
  return establishAndSave(ctx, { url, tokenId, secret, name });
}

function envProblemText(problem: EnvImportProblem): string {
  switch (problem) {
    case 'missingHost':
      return vscode.l10n.t('PVE_HOST is not set.');
    case 'missingUser':
      return vscode.l10n.t('PVE_TOKEN_ID is only the token name: also set PVE_USER (user@realm).');
    case 'missingTokenId':
      return vscode.l10n.t('PVE_TOKEN_ID is not set.');
    case 'missingSecret':
      return vscode.l10n.t('PVE_TOKEN_SECRET is not set.');
    case 'badUrl':
      return vscode.l10n.t('PVE_HOST is not a valid host or https URL.');
    case 'badTokenId':
      return vscode.l10n.t('PVE_USER and PVE_TOKEN_ID do not form a valid token id (user@realm!name).');
  }
}
