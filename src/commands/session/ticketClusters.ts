import * as vscode from 'vscode';
import type { ClusterSession } from '../../clusters/clusterSession';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';

/**
 * The password cluster a session command is about: the clicked or named one, else the ones that
 * need a sign-in now (a pick when there are several), else all password clusters.
 */
export async function resolveTicketCluster(ctx: CommandContext, arg: unknown, needingSignIn: boolean): Promise<ClusterSession | undefined> {
  if (arg !== undefined) {
    const session = await resolveCluster(ctx, arg);
    if (session && session.authKind !== 'ticket') {
      void ctx.prompter.notify('info', vscode.l10n.t('{0} uses an API token, not a password sign-in.', session.config.name));
      return undefined;
    }
    return session;
  }
  const all = ctx.manager.sessions.filter((s) => s.authKind === 'ticket');
  if (all.length === 0) {
    void ctx.prompter.notify('info', vscode.l10n.t('No cluster uses password sign-in. Use "Add Cluster with User Name and Password…" to add one.'));
    return undefined;
  }
  const lapsed = all.filter((s) => s.state.kind === 'needsSecret' || s.authPaused);
  const candidates = needingSignIn && lapsed.length > 0 ? lapsed : all;
  if (candidates.length === 1) return candidates[0];
  return ctx.prompter.pick({
    title: vscode.l10n.t('Choose a cluster'),
    placeHolder: vscode.l10n.t('Cluster'),
    items: candidates.map((s) => ({ label: s.config.name, description: `${s.config.username ?? ''} · ${s.config.url}`, value: s })),
  });
}
