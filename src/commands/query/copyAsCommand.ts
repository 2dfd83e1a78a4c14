import * as vscode from 'vscode';
import { parseDocumentUri } from '../../ui/documents/documentUris';
import type { CommandContext } from '../commandContext';

const SECRET_PLACEHOLDER = '$PVE_TOKEN_SECRET';

function activeTarget(uri: unknown): ReturnType<typeof parseDocumentUri> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  return target ? parseDocumentUri(target) : undefined;
}

/** `pvesh get /path --param value --output-format json-pretty`, for the node's shell. */
export async function copyAsPvesh(_ctx: CommandContext, uri?: unknown): Promise<string | undefined> {
  const target = activeTarget(uri);
  if (target?.kind !== 'api') return undefined;
  const params = Object.entries(target.params).flatMap(([k, v]) => [`--${k}`, shellQuote(v)]);
  const text = ['pvesh', 'get', shellQuote(target.apiPath), ...params, '--output-format', 'json-pretty'].join(' ');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied: {0}', text), 3000);
  return text;
}

/**
 * A curl command for the same GET. The secret is never copied: it is the placeholder
 * `$PVE_TOKEN_SECRET` (set it in the shell). A pinned certificate is checked by curl only with
 * the cluster CA, so the command says so instead of suggesting `--insecure`.
 */
export async function copyAsCurl(ctx: CommandContext, uri?: unknown): Promise<string | undefined> {
  const target = activeTarget(uri);
  if (target?.kind !== 'api') return undefined;
  const session = ctx.manager.get(target.clusterId);
  if (!session) return undefined;
  const query = new URLSearchParams(Object.entries(target.params)).toString();
  const url = `${session.config.url}/api2/json${target.apiPath === '/' ? '' : target.apiPath}${query ? `?${query}` : ''}`;
  const token = session.config.tokenId ?? 'USER@REALM!TOKENID';
  const parts = ['curl', '--fail-with-body', '--silent', '--show-error'];
  if (session.config.caFile) parts.push('--cacert', shellQuote(session.config.caFile));
  else if (session.config.fingerprint) parts.push('--cacert', 'pve-root-ca.pem');
  parts.push('-H', `"Authorization: PVEAPIToken=${token}=${SECRET_PLACEHOLDER}"`, shellQuote(url));
  const text = parts.join(' ');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied curl command (the secret is left as {0})', SECRET_PLACEHOLDER), 3000);
  return text;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_/.:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Re-reads the active `proxmox:` document from the server. */
export function refreshDocument(ctx: CommandContext, uri?: unknown): void {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (target && parseDocumentUri(target)) ctx.documents.refresh(target);
}
