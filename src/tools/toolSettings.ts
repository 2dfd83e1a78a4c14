import * as vscode from 'vscode';
import { Settings } from '../constants';

/**
 * Both switches are application-scoped in the manifest (user settings only), so a workspace that
 * is opened cannot turn the tools or their actions on. They are enforced here, on every call, and
 * not with `when` clauses on the tools: in VS Code 1.100 a tool's `when` expression cannot be sent
 * to the extension hosts (circular JSON), which empties `vscode.lm.tools` for every extension.
 */
export function toolsEnabled(): boolean {
  return vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.agentToolsEnabled) !== false;
}

export function actionsAllowed(): boolean {
  return toolsEnabled() && vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.agentToolsAllowActions) !== false;
}

export function toolsDisabledText(): string {
  return vscode.l10n.t('The Proxmox tools are turned off (setting proxmox.agentTools.enabled). Nothing was read or sent. Tell the user; only they can turn the tools on in their user settings.');
}

export function actionsDisabledText(): string {
  return vscode.l10n.t('Proxmox actions by agents are turned off (setting proxmox.agentTools.allowActions); nothing was sent. The read-only Proxmox tools still work. Tell the user; they can run the action from the Proxmox view, or allow agent actions in their user settings.');
}
