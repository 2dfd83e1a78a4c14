import * as vscode from 'vscode';
import { trustFor } from '../../clusters/trustConfig';
import { makeClusterId, type ClusterConfig } from '../../model/connectionConfig';
import { askName, askUrl } from '../cluster/clusterInputs';
import { decideTrust, trustPatch } from '../cluster/trustFlow';
import type { CommandContext } from '../commandContext';
import { signInInteractive } from './signInFlow';

/**
 * "Add Cluster with User Name and Password…": the second way to connect, for admins without an
 * API token. Trust the certificate first (nothing is sent before), then sign in; only the ticket
 * is kept (SecretStorage), and the user name in settings.
 */
export async function addClusterWithPassword(ctx: CommandContext): Promise<boolean> {
  const url = await askUrl(ctx.prompter);
  if (!url) return false;
  const decision = await decideTrust(ctx, url);
  if (!decision) return false;
  const trusted = stripUndefined({ ...trustPatch(decision) });
  const info = await signInInteractive(ctx, { url, trust: await trustFor({ id: 'new', name: 'new', url, ...trusted }) });
  if (!info) return false;
  const name = await askName(ctx.prompter, new URL(url).hostname);
  if (!name) return false;
  const existing = new Set(ctx.manager.sessions.map((s) => s.config.id));
  const config: ClusterConfig = { id: makeClusterId(name, existing), name, url, username: info.username, ...trusted };
  await ctx.manager.addTicketCluster(config, info);
  ctx.log.info(`Signed in to ${url} as ${info.username}`);
  void ctx.manager.get(config.id)?.refresh();
  void vscode.commands.executeCommand('proxmox.clusters.focus');
  return true;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
