import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GuestAction } from '../../../src/api/client';
import { applicableActions, GUEST_ACTIONS } from '../../../src/model/actionPolicy';
import { guestContextValue, snapshotContextValue } from '../../../src/model/contextValue';
import type { GuestFacts } from '../../../src/model/guestState';

/**
 * Every `when` clause of the guest and snapshot menus, checked against every state the model can
 * produce: a menu item is visible exactly when the action policy allows the action.
 */
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };
const menus = manifest.contributes.menus['view/item/context'] ?? [];

/** Evaluates the `viewItem =~ /re/` part of a clause (the only part that depends on the item). */
function visible(when: string | undefined, contextValue: string): boolean {
  const match = /viewItem =~ \/(.*?)\/(?:\s|$)/.exec(when ?? '');
  if (!match?.[1]) return true;
  return new RegExp(match[1]).test(contextValue);
}

const STATUSES = ['running', 'stopped', 'paused', 'suspended', 'unknown', 'io-error', 'prelaunch'];
const LOCKS = [undefined, 'backup', 'snapshot', 'suspended', 'migrate'];
const states: GuestFacts[] = [];
for (const type of ['qemu', 'lxc'] as const)
  for (const status of STATUSES)
    for (const lock of LOCKS)
      for (const template of [false, true])
        for (const hastate of [undefined, 'started', 'ignored'])
          for (const qmpstatus of type === 'qemu' && status === 'running' ? [undefined, 'paused'] : [undefined]) states.push({ type, status, lock, template, hastate, qmpstatus });

describe('guest menu when-clauses match the action policy', () => {
  it('every guest action has exactly the menus it should', () => {
    for (const action of GUEST_ACTIONS) {
      assert.ok(menus.some((m) => m.command === `proxmox.guest.${action}`), `no menu item for ${action}`);
    }
  });

  it(`${states.length} states × ${GUEST_ACTIONS.length} actions`, () => {
    for (const facts of states) {
      const value = guestContextValue(facts);
      const allowed = new Set<GuestAction>(applicableActions(facts));
      const powerMenus = menus.filter((m) => GUEST_ACTIONS.some((a) => m.command === `proxmox.guest.${a}`));
      for (const menu of powerMenus) {
        const action = menu.command.slice('proxmox.guest.'.length) as GuestAction;
        assert.equal(visible(menu.when, value), allowed.has(action), `${menu.command} (${menu.group ?? ''}) for ${value}`);
      }
    }
  });

  it('clauses are anchored and bounded, so one token never matches inside another', () => {
    for (const menu of menus.filter((m) => m.when?.includes('viewItem =~'))) {
      assert.match(menu.when ?? '', /viewItem =~ \/\^/, `${menu.command} is not anchored`);
    }
    // a:stop must not match a made-up a:stopper token
    const stop = menus.find((m) => m.command === 'proxmox.guest.stop');
    assert.equal(visible(stop?.when, 'guest;type=qemu;status=running;a:stopper;'), false);
  });

  it('a denied privilege hides the action', () => {
    const value = guestContextValue({ type: 'qemu', status: 'running' }, (a) => a !== 'stop');
    const stop = menus.find((m) => m.command === 'proxmox.guest.stop');
    assert.equal(visible(stop?.when, value), false);
  });

  it('snapshot menus: NOW has no actions; a locked guest only allows editing the description', () => {
    const rollback = menus.find((m) => m.command === 'proxmox.snapshot.rollback');
    const edit = menus.find((m) => m.command === 'proxmox.snapshot.editDescription');
    assert.equal(visible(rollback?.when, snapshotContextValue({ type: 'qemu', status: 'running' }, true)), false);
    assert.equal(visible(rollback?.when, snapshotContextValue({ type: 'qemu', status: 'running' }, false)), true);
    assert.equal(visible(rollback?.when, snapshotContextValue({ type: 'qemu', status: 'running', lock: 'backup' }, false)), false);
    assert.equal(visible(edit?.when, snapshotContextValue({ type: 'qemu', status: 'running', lock: 'backup' }, false)), true);
  });
});
