import * as vscode from 'vscode';
import type { ActionTarget } from '../../actions/actionTypes';
import { buildSnapshotTree } from '../../model/snapshotTree';
import { SnapshotItem } from '../../tree/snapshotItem';
import type { CommandContext } from '../commandContext';
import { resolveGuestTargets } from '../guest/guestTargets';

/** A snapshot command's target: a snapshot item, `{ clusterId, vmid, snapshot }`, or picks. */
export async function resolveSnapshotTarget(ctx: CommandContext, args: readonly unknown[]): Promise<{ target: ActionTarget; name: string } | undefined> {
  const [first] = args;
  if (first instanceof SnapshotItem) {
    const guest = first.guest;
    const vmid = guest.entry?.vmid;
    if (vmid === undefined || first.isCurrent) return undefined;
    return { target: { session: guest.session, vmid, ...(guest.entry ? { seen: guest.entry } : {}) }, name: first.name };
  }
  if (typeof first === 'object' && first !== null && typeof (first as { snapshot?: unknown }).snapshot === 'string') {
    const [target] = await resolveGuestTargets(ctx, [first]);
    return target ? { target, name: (first as { snapshot: string }).snapshot } : undefined;
  }
  if (first !== undefined) return undefined;
  const [target] = await resolveGuestTargets(ctx, []);
  if (!target) return undefined;
  const entry = target.session.findGuest(target.vmid);
  if (!entry) return undefined;
  const client = await target.session.client();
  const list = await client.snapshots({ node: entry.node, type: entry.type, vmid: entry.vmid });
  const items = list.filter((s) => s.name !== 'current').map((s) => ({ label: s.name, description: s.description ?? '', value: s.name }));
  if (items.length === 0) {
    void ctx.prompter.notify('info', vscode.l10n.t('{0} {1} has no snapshots.', entry.name ?? '', entry.vmid));
    return undefined;
  }
  const order = flatten(buildSnapshotTree(list));
  items.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
  const name = await ctx.prompter.pick({ title: vscode.l10n.t('Choose a snapshot'), placeHolder: vscode.l10n.t('Snapshot'), items });
  return name ? { target, name } : undefined;
}

function flatten(nodes: ReturnType<typeof buildSnapshotTree>): string[] {
  return nodes.flatMap((n) => [n.snapshot.name, ...flatten(n.children)]);
}
