import type { GuestAction } from '../api/client';
import { applicableActions, snapshotRefusal, type SnapshotAction } from './actionPolicy';
import { blockingLock, isHaManaged, powerState, type GuestFacts } from './guestState';

/**
 * The `contextValue` strings the menus match. One token per fact, each ended by `;`, so `when`
 * clauses can use anchored patterns such as `viewItem =~ /^guest;.*;a:stop;/` without `stop`
 * also matching `nonstop` (STYLE.md). `test/unit/model/menus.test.ts` checks every menu clause
 * of package.json against the states produced here.
 */
export function guestContextValue(facts: GuestFacts, allowed: (action: GuestAction | `snapshot.${SnapshotAction}`) => boolean = () => true): string {
  const parts = ['guest', `type=${facts.type}`, `status=${powerState(facts)}`];
  if (facts.template) parts.push('template');
  if (blockingLock(facts)) parts.push('locked');
  if (isHaManaged(facts)) parts.push('ha');
  for (const action of applicableActions(facts)) {
    if (allowed(action)) parts.push(`a:${action}`);
  }
  if (snapshotRefusal('create', facts) === undefined && allowed('snapshot.create')) parts.push('a:snapshot');
  return `${parts.join(';')};`;
}

export function snapshotContextValue(guest: GuestFacts, isCurrent: boolean, allowed: (action: SnapshotAction) => boolean = () => true): string {
  if (isCurrent) return 'snapshot-current;';
  const parts = ['snapshot', `type=${guest.type}`];
  for (const action of ['rollback', 'delete', 'editDescription'] as const) {
    if (snapshotRefusal(action, guest) === undefined && allowed(action)) parts.push(`a:${action}`);
  }
  return `${parts.join(';')};`;
}
