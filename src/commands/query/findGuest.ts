import * as vscode from 'vscode';
import { isValidVmid } from '../../api/paths';
import type { ClusterSession } from '../../clusters/clusterSession';
import { Commands } from '../../constants';
import { applicableActions } from '../../model/actionPolicy';
import type { GuestEntry } from '../../model/clusterIndex';
import { actionLabel, powerLabel, typeLongLabel } from '../../tree/labels';
import { targetName } from '../../ui/actionText';
import type { CommandContext } from '../commandContext';

export interface FoundGuest {
  readonly session: ClusterSession;
  readonly entry: GuestEntry;
}

/**
 * "Find Guest by VMID…": says whether it is a VM or a container and on which node (looked up
 * fresh, never guessed), reveals it in the tree and offers what can be done with it.
 * Arguments: `(vmid)` to skip the input box.
 */
export async function findGuest(ctx: CommandContext, vmidArg?: unknown): Promise<FoundGuest | undefined> {
  const text = typeof vmidArg === 'number' || typeof vmidArg === 'string'
    ? String(vmidArg)
    : await ctx.prompter.input({
        title: vscode.l10n.t('Find Guest by VMID'),
        prompt: vscode.l10n.t('VMID (100 to 999999999)'),
        validate: (value) => (isValidVmid(value.trim()) ? undefined : vscode.l10n.t('A VMID is a number from 100 to 999999999.')),
      });
  if (text === undefined) return undefined;
  if (!isValidVmid(text.trim())) {
    void ctx.prompter.notify('warning', vscode.l10n.t('"{0}" is not a VMID.', text));
    return undefined;
  }
  const vmid = Number(text.trim());
  const sessions = ctx.manager.sessions;
  await Promise.all(sessions.map((s) => s.refresh()));
  const found: FoundGuest[] = [];
  for (const session of sessions) {
    const entry = session.findGuest(vmid);
    if (entry) found.push({ session, entry });
  }
  if (found.length === 0) {
    void ctx.prompter.notify(
      'warning',
      vscode.l10n.t('No guest with VMID {0} on {1}. It does not exist, or this token cannot see it (VM.Audit on /vms/{0} is needed).', vmid, sessions.map((s) => s.config.name).join(', ') || '-'),
    );
    return undefined;
  }
  const match = found.length === 1
    ? found[0]
    : await ctx.prompter.pick({
        title: vscode.l10n.t('VMID {0} exists on several clusters', vmid),
        placeHolder: vscode.l10n.t('Cluster'),
        items: found.map((f) => ({ label: f.session.config.name, description: targetName(f.entry), value: f })),
      });
  if (!match) return undefined;
  const item = ctx.tree.findGuestItem(match.session.config.id, match.entry.key);
  if (item) await ctx.treeView.reveal(item, { select: true, focus: false, expand: false });
  const e = match.entry;
  const actions = applicableActions({ type: e.type, status: e.resource.status, lock: e.resource.lock, template: e.resource.template, hastate: e.resource.hastate });
  const arg = { clusterId: match.session.config.id, vmid };
  const choice = await ctx.prompter.pick({
    title: vscode.l10n.t('{0}: {1} {2} on node {3}, {4}', targetName(e), typeLongLabel(e.type), e.vmid, e.node, powerLabel(e.power)),
    placeHolder: vscode.l10n.t('What do you want to do?'),
    items: [
      { label: `$(file-code) ${vscode.l10n.t('Show Config')}`, value: Commands.showGuestConfig },
      { label: `$(pulse) ${vscode.l10n.t('Show Current Status')}`, value: Commands.showGuestStatus },
      ...actions.map((a) => ({ label: actionLabel(a), value: `proxmox.guest.${a}` })),
    ],
  });
  if (choice) await vscode.commands.executeCommand(choice, arg);
  return match;
}

/** "Show Cluster Resources" as a quick pick: every guest, to jump to it in the tree. */
export async function jumpToGuest(ctx: CommandContext): Promise<FoundGuest | undefined> {
  const items: { label: string; description: string; value: FoundGuest }[] = [];
  for (const session of ctx.manager.sessions) {
    for (const entry of session.index?.guests.values() ?? []) {
      items.push({ label: `${entry.vmid} ${entry.name ?? ''}`, description: `${typeLongLabel(entry.type)} · ${entry.node} · ${powerLabel(entry.power)}${ctx.manager.sessions.length > 1 ? ` · ${session.config.name}` : ''}`, value: { session, entry } });
    }
  }
  items.sort((a, b) => a.value.entry.vmid - b.value.entry.vmid);
  const picked = await ctx.prompter.pick({ title: vscode.l10n.t('Go to Guest'), placeHolder: vscode.l10n.t('VMID, name, node or state'), items });
  if (!picked) return undefined;
  const item = ctx.tree.findGuestItem(picked.session.config.id, picked.entry.key);
  if (item) await ctx.treeView.reveal(item, { select: true, focus: true, expand: false });
  return picked;
}
