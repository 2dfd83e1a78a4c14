import * as vscode from 'vscode';
import { Settings } from '../constants';

/**
 * Both switches are application-scoped in the manifest (user settings only), so a workspace that
 * is opened cannot turn the tools or their actions on. Checked on every call: the manifest's
 * `when` clauses hide the tools from the model, but any extension can still invoke them by name.
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
