import * as vscode from 'vscode';
import { guestPath, snapshotPath } from '../../api/paths';
import { apiDocumentUri } from '../../ui/documents/documentUris';
import type { CommandContext } from '../commandContext';
import { resolveSnapshotTarget } from './snapshotTargets';

/** The snapshot's frozen config as a read-only JSON document. */
export async function showSnapshotConfig(ctx: CommandContext, ...args: unknown[]): Promise<vscode.Uri | undefined> {
  const resolved = await resolveSnapshotTarget(ctx, args);
  const entry = resolved ? resolved.target.session.findGuest(resolved.target.vmid) : undefined;
  if (!resolved || !entry) return undefined;
  const uri = apiDocumentUri(resolved.target.session.config.id, `${snapshotPath(entry, resolved.name)}/config`);
  ctx.documents.refresh(uri);
  await vscode.window.showTextDocument(uri, { preview: true });
  return uri;
}

/** Snapshot config against the current config, in VS Code's diff editor. */
export async function diffSnapshot(ctx: CommandContext, ...args: unknown[]): Promise<vscode.Uri[] | undefined> {
  const resolved = await resolveSnapshotTarget(ctx, args);
  const entry = resolved ? resolved.target.session.findGuest(resolved.target.vmid) : undefined;
  if (!resolved || !entry) return undefined;
  const clusterId = resolved.target.session.config.id;
  const left = apiDocumentUri(clusterId, `${snapshotPath(entry, resolved.name)}/config`);
  const right = apiDocumentUri(clusterId, `${guestPath(entry)}/config`);
  ctx.documents.refresh(left);
  ctx.documents.refresh(right);
  await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('{0} {1}: snapshot "{2}" ↔ current config', entry.name ?? '', entry.vmid, resolved.name));
  return [left, right];
}
