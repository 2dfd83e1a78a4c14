import * as vscode from 'vscode';
import { checkNode, checkStorage, guestPath } from '../../api/paths';
import { NodeItem } from '../../tree/nodeItem';
import { StorageItem } from '../../tree/storageItems';
import { apiDocumentUri } from '../../ui/documents/documentUris';
import { resolveCluster } from '../clusterArg';
import type { CommandContext } from '../commandContext';
import { resolveGuestTargets } from '../guest/guestTargets';

async function open(ctx: CommandContext, clusterId: string, path: string, params: Record<string, string> = {}): Promise<vscode.Uri> {
  const uri = apiDocumentUri(clusterId, path, params);
  ctx.documents.refresh(uri);
  await vscode.window.showTextDocument(uri, { preview: true });
  return uri;
}

/** Like `qm config` / `pct config`: the type and node are looked up, never guessed. */
export async function showGuestConfig(ctx: CommandContext, ...args: unknown[]): Promise<vscode.Uri | undefined> {
  const [target] = await resolveGuestTargets(ctx, args.slice(0, 1));
  const entry = target ? (await target.session.reread(target.vmid))?.entry : undefined;
  if (!target || !entry) return undefined;
  return open(ctx, target.session.config.id, `${guestPath(entry)}/config`);
}

export async function showGuestStatus(ctx: CommandContext, ...args: unknown[]): Promise<vscode.Uri | undefined> {
  const [target] = await resolveGuestTargets(ctx, args.slice(0, 1));
  const entry = target ? (await target.session.reread(target.vmid))?.entry : undefined;
  if (!target || !entry) return undefined;
  return open(ctx, target.session.config.id, `${guestPath(entry)}/status/current`);
}

export async function showNodeStatus(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  let session = arg instanceof NodeItem ? arg.session : await resolveCluster(ctx, typeof arg === 'string' ? arg : undefined);
  if (!session) return undefined;
  let node = arg instanceof NodeItem ? arg.node : undefined;
  if (!node) {
    const nodes = [...(session.index?.nodes.values() ?? [])];
    node = await ctx.prompter.pick({ title: vscode.l10n.t('Node status'), placeHolder: vscode.l10n.t('Node'), items: nodes.map((n) => ({ label: n.name, description: n.resource.status, value: n.name })) });
  }
  if (!node) return undefined;
  session = ctx.manager.get(session.config.id) ?? session;
  return open(ctx, session.config.id, `/nodes/${checkNode(node)}/status`);
}

export async function showClusterStatus(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  const session = await resolveCluster(ctx, arg);
  return session ? open(ctx, session.config.id, '/cluster/status') : undefined;
}

export async function showClusterResources(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  const session = await resolveCluster(ctx, arg);
  return session ? open(ctx, session.config.id, '/cluster/resources') : undefined;
}

export async function showStorageStatus(ctx: CommandContext, arg?: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof StorageItem) {
    return open(ctx, arg.session.config.id, `/nodes/${checkNode(arg.storage.node)}/storage`, { storage: arg.storage.storage });
  }
  const session = await resolveCluster(ctx, arg);
  if (!session) return undefined;
  const storages = [...(session.index?.storagesByNode.values() ?? [])].flat();
  const picked = await ctx.prompter.pick({
    title: vscode.l10n.t('Storage status'),
    placeHolder: vscode.l10n.t('Storage'),
    items: storages.map((s) => ({ label: s.storage, description: `${s.node} · ${s.plugintype ?? ''}`, value: s })),
  });
  if (!picked) return undefined;
  checkStorage(picked.storage);
  return open(ctx, session.config.id, `/nodes/${checkNode(picked.node)}/storage`, { storage: picked.storage });
}
