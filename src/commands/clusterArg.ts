import * as vscode from 'vscode';
import type { ClusterSession } from '../clusters/clusterSession';
import type { CommandContext } from './commandContext';

/**
 * Resolves the cluster a command is about: a tree item, a cluster id (from tree messages and
 * other commands), or a pick when there are several and none was given.
 */
export async function resolveCluster(ctx: CommandContext, arg: unknown): Promise<ClusterSession | undefined> {
  if (typeof arg === 'string') return ctx.manager.get(arg);
  if (typeof arg === 'object' && arg !== null && 'session' in arg) {
    const session = (arg).session;
    if (session && typeof session === 'object' && 'config' in session) return ctx.manager.get((session as ClusterSession).config.id);
  }
  const sessions = ctx.manager.sessions;
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Proxmox VE cluster is configured yet.'));
    return undefined;
  }
  if (sessions.length === 1) return sessions[0];
  return ctx.prompter.pick({
    title: vscode.l10n.t('Choose a cluster'),
    placeHolder: vscode.l10n.t('Cluster'),
    items: sessions.map((s) => ({ label: s.config.name, description: s.config.url, value: s })),
  });
}
