import * as vscode from 'vscode';
import { PveError } from '../../api/errors';
import { parseUserApiPath, type UserPathProblem } from '../../api/userPath';
import { findEndpoint } from '../../model/apiPathCompletion';
import { apiDocumentUri } from '../../ui/documents/documentUris';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';
import { promptParams } from './paramPrompt';
import { pickApiPath } from './pathPicker';

/**
 * "Get API Path…", like `pvesh get`: GET only, against the cluster's fixed origin, path rules
 * checked before anything is sent; the answer opens as a read-only JSON document.
 * Arguments (for other commands and tests): `(clusterId, path, params?)`.
 */
export async function getApiPath(ctx: CommandContext, ...args: unknown[]): Promise<vscode.Uri | undefined> {
  const [clusterArg, pathArg, paramsArg] = args;
  const session = await resolveCluster(ctx, clusterArg);
  if (!session) return undefined;
  const typed = typeof pathArg === 'string' ? pathArg : await pickApiPath(session);
  if (typed === undefined) return undefined;
  const parsed = parseUserApiPath(typed);
  if (!parsed.ok) throw new PveError('invalidInput', pathProblemText(parsed.problem));
  const display = parsed.segments.length === 0 ? '/' : `/${parsed.segments.join('/')}`;
  let params: Record<string, string> = {};
  if (paramsArg && typeof paramsArg === 'object') {
    params = Object.fromEntries(Object.entries(paramsArg as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  } else if (typeof pathArg !== 'string') {
    const endpoint = findEndpoint(display);
    const answered = endpoint ? await promptParams(ctx.prompter, display, endpoint.params) : {};
    if (answered === undefined) return undefined;
    params = answered;
  }
  const uri = apiDocumentUri(session.config.id, display, params);
  ctx.documents.refresh(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return uri;
}

export function pathProblemText(problem: UserPathProblem): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Enter an API path such as /cluster/resources.');
    case 'relative':
      return vscode.l10n.t('API paths start with / (like /nodes).');
    case 'absoluteUrl':
      return vscode.l10n.t('Enter a path on the cluster, not a URL: requests only go to the configured cluster.');
    case 'query':
    case 'fragment':
      return vscode.l10n.t('Leave out ? and #: parameters are asked for separately.');
    case 'doubleSlash':
    case 'emptySegment':
      return vscode.l10n.t('The path has an empty segment (//).');
    case 'dotSegment':
      return vscode.l10n.t('. and .. are not allowed in API paths.');
    case 'userInfo':
      return vscode.l10n.t('@ is not allowed in API paths (except inside a task id).');
    case 'percent':
      return vscode.l10n.t('Percent-encoding is not allowed: type the plain value.');
    case 'character':
      return vscode.l10n.t('The path contains a character that API paths do not use.');
    case 'tooLong':
      return vscode.l10n.t('The path is too long.');
  }
}
