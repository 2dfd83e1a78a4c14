import * as vscode from 'vscode';
import type { GuestAction } from '../../api/client';
import type { ActionTarget } from '../../actions/actionTypes';
import { refusal } from '../../model/actionPolicy';
import { GuestItem } from '../../tree/guestItem';
import { guestDisplayName, typeLabel, powerLabel } from '../../tree/labels';
import type { CommandContext } from '../commandContext';

/**
 * Which guests a guest command acts on: the right-clicked item, or every selected guest when the
 * click was on a selection, or `{ clusterId, vmid }` from another command, or a pick from the
 * palette offering only the guests the action fits.
 */
export async function resolveGuestTargets(ctx: CommandContext, args: readonly unknown[], action?: GuestAction): Promise<ActionTarget[]> {
  const [first, second] = args;
  if (first instanceof GuestItem) {
    const selected = Array.isArray(second) ? second.filter((s): s is GuestItem => s instanceof GuestItem) : [];
    const items = selected.length > 1 && selected.includes(first) ? selected : [first];
    return dedupe(items.map((item) => ({ session: item.session, vmid: entryVmid(item), ...(item.entry ? { seen: item.entry } : {}) })));
  }
  const explicit = explicitTarget(ctx, first);
  if (explicit) return [explicit];
  if (first !== undefined) return []; // something we do not understand: never guess a target
  return pickTargets(ctx, action);
}

function entryVmid(item: GuestItem): number {
  return item.entry?.vmid ?? Number(item.key.split('/')[1]);
}

function explicitTarget(ctx: CommandContext, arg: unknown): ActionTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { clusterId, vmid } = arg as { clusterId?: unknown; vmid?: unknown };
  if (typeof clusterId !== 'string' || typeof vmid !== 'number') return undefined;
  const session = ctx.manager.get(clusterId);
  return session ? { session, vmid } : undefined;
}

function dedupe(targets: ActionTarget[]): ActionTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.session.config.id}/${t.vmid}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function pickTargets(ctx: CommandContext, action: GuestAction | undefined): Promise<ActionTarget[]> {
  const items: { label: string; description: string; value: ActionTarget }[] = [];
  const multipleClusters = ctx.manager.sessions.length > 1;
  for (const session of ctx.manager.sessions) {
    for (const entry of session.index?.guests.values() ?? []) {
      const facts = { type: entry.type, status: entry.resource.status, lock: entry.resource.lock, template: entry.resource.template, hastate: entry.resource.hastate };
      if (action && refusal(action, facts)) continue;
      items.push({
        label: `${entry.vmid} ${guestDisplayName(entry.type, entry.vmid, entry.name)}`,
        description: `${typeLabel(entry.type)} · ${entry.node} · ${powerLabel(entry.power)}${multipleClusters ? ` · ${session.config.name}` : ''}`,
        value: { session, vmid: entry.vmid, seen: entry },
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No guest is in a state where this action applies.'));
    return [];
  }
  items.sort((a, b) => a.value.vmid - b.value.vmid);
  const picked = await ctx.prompter.pickMany({ title: vscode.l10n.t('Choose guests'), placeHolder: vscode.l10n.t('Guests (VMID, name, node)'), items });
  return picked ?? [];
}
