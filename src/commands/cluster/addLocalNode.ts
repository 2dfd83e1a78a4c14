import * as os from 'node:os';
import * as vscode from 'vscode';
import { PVESH_URL } from '../../clusters/clusterSettings';
import { findOnPath } from '../../clusters/findExecutable';
import { makeClusterId } from '../../model/connectionConfig';
import type { CommandContext } from '../commandContext';

/**
 * "Add Local Node (pvesh)": when VS Code runs on a PVE node itself (e.g. over Remote-SSH), the
 * local CLI is the admin's first tool and needs no token. Everything else works unchanged on top.
 */
export async function addLocalNode(ctx: CommandContext): Promise<boolean> {
  const pvesh = await findOnPath('pvesh');
  if (!pvesh) {
    void ctx.prompter.notify('warning', vscode.l10n.t('pvesh is not on the PATH: VS Code is not running on a Proxmox VE node. Connect with Remote-SSH to a node, or add the cluster with an API token.'));
    return false;
  }
  const add = vscode.l10n.t('Add Local Node');
  const user = os.userInfo().username;
  const choice = await ctx.prompter.confirm({
    message: vscode.l10n.t('Use the local pvesh on {0}?', os.hostname()),
    detail: vscode.l10n.t('Requests run {0} as the user "{1}". As root every action is allowed by Proxmox VE itself; this extension still re-reads state and asks before anything disruptive.', pvesh, user),
    buttons: [add],
    modal: true,
    severity: 'info',
  });
  if (choice !== add) return false;
  const existing = new Set(ctx.manager.sessions.map((s) => s.config.id));
  const id = makeClusterId(`local-${os.hostname()}`, existing);
  await ctx.manager.addLocalCluster({ id, name: vscode.l10n.t('Local node ({0})', os.hostname()), url: PVESH_URL, transport: 'pvesh' });
  void ctx.manager.get(id)?.refresh();
  return true;
}
