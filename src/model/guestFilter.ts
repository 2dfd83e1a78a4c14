import type { GuestType } from '../api/paths';
import type { GuestEntry } from './clusterIndex';
import type { PowerState } from './guestState';

/** What the user narrowed the tree to. Empty lists mean "any". */
export interface GuestFilter {
  readonly text: string;
  readonly tags: readonly string[];
  readonly states: readonly PowerState[];
  readonly types: readonly GuestType[];
  readonly showTemplates: boolean;
}

export const EMPTY_FILTER: GuestFilter = { text: '', tags: [], states: [], types: [], showTemplates: true };

export function isFilterActive(filter: GuestFilter): boolean {
  return filter.text.trim() !== '' || filter.tags.length > 0 || filter.states.length > 0 || filter.types.length > 0;
}

/** Text matches name or VMID (a VMID prefix too, so typing "10" narrows to 100-109, 1000…). */
export function matchesFilter(guest: GuestEntry, filter: GuestFilter): boolean {
  if (!filter.showTemplates && guest.resource.template) return false;
  if (filter.types.length > 0 && !filter.types.includes(guest.type)) return false;
  if (filter.states.length > 0 && !filter.states.includes(guest.power)) return false;
  if (filter.tags.length > 0 && !filter.tags.some((tag) => guest.tags.includes(tag))) return false;
  const text = filter.text.trim().toLowerCase();
  if (text === '') return true;
  if (String(guest.vmid).startsWith(text)) return true;
  return (guest.name ?? '').toLowerCase().includes(text);
}

export type Grouping = 'node' | 'tag' | 'pool';

/** Group keys for a guest: a guest with two tags appears under both; none gives the "" group. */
export function groupKeys(guest: GuestEntry, grouping: Grouping): readonly string[] {
  switch (grouping) {
    case 'node':
      return [guest.node];
    case 'tag':
      return guest.tags.length > 0 ? guest.tags : [''];
    case 'pool':
      return [guest.resource.pool ?? ''];
  }
}
