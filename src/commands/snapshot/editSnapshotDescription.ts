import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext';
import { resolveSnapshotTarget } from './snapshotTargets';

/** "Edit Description…": a synchronous PUT (no task); the guest's config lock is respected by PVE. */
export async function editSnapshotDescription(ctx: CommandContext, ...args: unknown[]): Promise<boolean> {
  const resolved = await resolveSnapshotTarget(ctx, args);
  if (!resolved) return false;
  const { target, name } = resolved;
  const entry = (await target.session.reread(target.vmid))?.entry;
  if (!entry) return false;
  const client = await target.session.client();
  const ref = { node: entry.node, type: entry.type, vmid: entry.vmid };
  const current = (await client.snapshots(ref)).find((s) => s.name === name);
  if (!current) {
    void ctx.prompter.notify('warning', vscode.l10n.t('The snapshot "{0}" no longer exists.', name));
    return false;
  }
  const description = await ctx.prompter.input({ title: vscode.l10n.t('Description of "{0}"', name), prompt: vscode.l10n.t('Description'), value: current.description ?? '' });
  if (description === undefined || description === current.description) return false;
  await client.updateSnapshotDescription(ref, name, description);
  ctx.tree.invalidateSnapshots(target.session.config.id, entry.key);
  return true;
}
