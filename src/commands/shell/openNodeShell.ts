import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { CommandContext } from '../commandContext';
import { resolveNodeTarget } from './nodeTarget';
import { startShell } from './startShell';

/** "Open Shell" on a node: PVE's xterm.js shell (`login -f root` for root@pam, else a login prompt). */
export async function openNodeShell(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const target = await resolveNodeTarget(ctx, arg);
  if (!target) return false;
  const node = target.session.index?.nodes.get(target.node);
  if (node && !node.online) {
    void ctx.prompter.notify('warning', vscode.l10n.t('Node {0} is offline.', target.node));
    return false;
  }
  const shell = await startShell(ctx, target.session, { type: 'node', node: target.node }, vscode.l10n.t('Shell: {0}', target.node), {
    command: Commands.openNodeConsoleInBrowser,
    args: [{ clusterId: target.session.config.id, node: target.node }],
  });
  return shell !== undefined;
}
