import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext';
import { askName, askSecret, askTokenId, askUrl } from './clusterInputs';
import { establishAndSave } from './saveCluster';

/** "Add Cluster…": URL, token id, secret (password box), name; then trust and a connection test. */
export async function addCluster(ctx: CommandContext): Promise<boolean> {
  const url = await askUrl(ctx.prompter);
  if (!url) return false;
  const tokenId = await askTokenId(ctx.prompter);
  if (!tokenId) return false;
  const secret = await askSecret(ctx.prompter, tokenId);
  if (!secret) return false;
  const name = await askName(ctx.prompter, new URL(url).hostname);
  if (!name) return false;
  const saved = await establishAndSave(ctx, { url, tokenId, secret, name });
  if (saved) void vscode.commands.executeCommand('proxmox.clusters.focus');
  return saved;
}
