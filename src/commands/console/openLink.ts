import * as vscode from 'vscode';
import type { ClusterSession } from '../../clusters/clusterSession';
import type { CommandContext } from '../commandContext';

/**
 * Hands a web UI URL to the system browser. VS Code opens a Uri as `encodeURI(uri.toString(true))`
 * (microsoft/vscode#85930): the query keeps its `=` and `&`, and the only change to these links is
 * `%2F` in a deep link's hash becoming `/`, which PVE's hash parser decodes to the same value.
 * The browser needs its own PVE sign-in; a link cannot carry the extension's credentials.
 */
export async function openWebUiLink(ctx: CommandContext, session: ClusterSession, url: string, what: string): Promise<boolean> {
  if (session.authKind === 'local') {
    void ctx.prompter.notify('info', vscode.l10n.t('The local pvesh connection has no web address; open https://<this node>:8006 in a browser.'));
    return false;
  }
  const uri = vscode.Uri.parse(url, true);
  ctx.log.info(`${session.config.name}: opening ${what} in the browser: ${encodeURI(uri.toString(true))}`);
  const opened = await ctx.openExternal(uri);
  if (!opened) ctx.log.warn(`${session.config.name}: the browser did not open ${url}`);
  return opened;
}
