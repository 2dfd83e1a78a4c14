import * as vscode from 'vscode';
import type { GuestType } from '../../api/paths';
import { ContextKeys } from '../../constants';
import { EMPTY_FILTER, isFilterActive, type GuestFilter } from '../../model/guestFilter';
import type { PowerState } from '../../model/guestState';
import { powerLabel } from '../../tree/labels';
import type { CommandContext } from '../commandContext';

const STATES: PowerState[] = ['running', 'stopped', 'paused', 'hibernated', 'unknown'];

/** "Filter…": by name or VMID, status, type or tag; the filter applies to every cluster. */
export async function filterGuests(ctx: CommandContext): Promise<void> {
  const current = ctx.tree.chosenFilter;
  const kind = await ctx.prompter.pick({
    title: vscode.l10n.t('Filter guests'),
    placeHolder: vscode.l10n.t('Filter by…'),
    items: [
      { label: vscode.l10n.t('Name or VMID…'), description: current.text, value: 'text' as const },
      { label: vscode.l10n.t('Status…'), description: current.states.join(', '), value: 'status' as const },
      { label: vscode.l10n.t('Type…'), description: current.types.join(', '), value: 'type' as const },
      { label: vscode.l10n.t('Tag…'), description: current.tags.join(', '), value: 'tag' as const },
      { label: current.showTemplates ? vscode.l10n.t('Hide templates') : vscode.l10n.t('Show templates'), value: 'templates' as const },
      { label: vscode.l10n.t('Clear filter'), value: 'clear' as const },
    ],
  });
  let next: GuestFilter | undefined;
  switch (kind) {
    case undefined:
      return;
    case 'clear':
      next = EMPTY_FILTER;
      break;
    case 'templates':
      next = { ...current, showTemplates: !current.showTemplates };
      break;
    case 'text': {
      const text = await ctx.prompter.input({ title: vscode.l10n.t('Filter guests'), prompt: vscode.l10n.t('Part of a name, or the start of a VMID'), value: current.text });
      if (text === undefined) return;
      next = { ...current, text };
      break;
    }
    case 'status': {
      const states = await ctx.prompter.pickMany({
        title: vscode.l10n.t('Show guests that are…'),
        placeHolder: vscode.l10n.t('Status'),
        items: STATES.map((s) => ({ label: powerLabel(s), value: s, picked: current.states.includes(s) })),
      });
      if (!states) return;
      next = { ...current, states };
      break;
    }
    case 'type': {
      const types = await ctx.prompter.pickMany<GuestType>({
        title: vscode.l10n.t('Show…'),
        placeHolder: vscode.l10n.t('Type'),
        items: [
          { label: vscode.l10n.t('Virtual machines (QEMU)'), value: 'qemu', picked: current.types.includes('qemu') },
          { label: vscode.l10n.t('Containers (LXC)'), value: 'lxc', picked: current.types.includes('lxc') },
        ],
      });
      if (!types) return;
      next = { ...current, types };
      break;
    }
    case 'tag': {
      const tags = new Set<string>();
      for (const session of ctx.manager.sessions) for (const guest of session.index?.guests.values() ?? []) for (const tag of guest.tags) tags.add(tag);
      const picked = await ctx.prompter.pickMany({
        title: vscode.l10n.t('Show guests tagged…'),
        placeHolder: vscode.l10n.t('Tag'),
        items: [...tags].sort().map((t) => ({ label: t, value: t, picked: current.tags.includes(t) })),
      });
      if (!picked) return;
      next = { ...current, tags: picked };
      break;
    }
  }
  applyFilter(ctx, next);
}

export function applyFilter(ctx: CommandContext, filter: GuestFilter): void {
  ctx.tree.setFilter(filter);
  void vscode.commands.executeCommand('setContext', ContextKeys.filterActive, isFilterActive(filter) || !filter.showTemplates);
  ctx.treeView.message = isFilterActive(filter) || !filter.showTemplates ? vscode.l10n.t('Filtered: {0}', describeFilter(filter)) : undefined;
}

function describeFilter(filter: GuestFilter): string {
  const parts: string[] = [];
  if (filter.text) parts.push(`"${filter.text}"`);
  if (filter.states.length) parts.push(filter.states.map(powerLabel).join('/'));
  if (filter.types.length) parts.push(filter.types.join('/'));
  if (filter.tags.length) parts.push(filter.tags.map((t) => `#${t}`).join(' '));
  if (!filter.showTemplates) parts.push(vscode.l10n.t('no templates'));
  return parts.join(', ');
}
