import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GuestAction } from '../../../src/api/client';
import { ACTION_RULES, applicableActions, needsConfirmation, refusal } from '../../../src/model/actionPolicy';
import { powerState, type GuestFacts } from '../../../src/model/guestState';

const vm = (status: string, extra: Partial<GuestFacts> = {}): GuestFacts => ({ type: 'qemu', status, ...extra });
const ct = (status: string, extra: Partial<GuestFacts> = {}): GuestFacts => ({ type: 'lxc', status, ...extra });

describe('power state from PVE fields', () => {
  const cases: [GuestFacts, string][] = [
    [vm('running'), 'running'],
    [vm('running', { qmpstatus: 'paused' }), 'paused'],
    [vm('paused'), 'paused'],
    [vm('suspended'), 'paused'],
    [vm('stopped', { lock: 'suspended' }), 'hibernated'],
    [vm('stopped'), 'stopped'],
    [vm('unknown'), 'unknown'],
    [vm('io-error'), 'running'],
    [ct('running'), 'running'],
    [ct('stopped', { lock: 'backup' }), 'stopped'],
  ];
  for (const [facts, expected] of cases) {
    it(`${JSON.stringify(facts)} → ${expected}`, () => {
      assert.equal(powerState(facts), expected);
    });
  }
});

describe('which actions fit which state', () => {
  const cases: [string, GuestFacts, GuestAction[]][] = [
    ['stopped VM', vm('stopped'), ['start']],
    ['running VM', vm('running'), ['shutdown', 'reboot', 'suspend', 'hibernate', 'stop', 'reset']],
    ['paused VM', vm('running', { qmpstatus: 'paused' }), ['resume', 'hibernate', 'stop', 'reset']],
    ['hibernated VM', vm('stopped', { lock: 'suspended' }), ['resume']],
    ['running CT: no reset, no hibernate', ct('running'), ['shutdown', 'reboot', 'suspend', 'stop']],
    ['stopped CT', ct('stopped'), ['start']],
    ['template: nothing', vm('stopped', { template: true }), []],
    ['offline node: nothing', vm('unknown'), []],
    ['locked (backup): nothing', vm('running', { lock: 'backup' }), []],
    ['HA-managed running VM cannot hibernate', vm('running', { hastate: 'started' }), ['shutdown', 'reboot', 'suspend', 'stop', 'reset']],
    ['HA "ignored" counts as unmanaged', vm('running', { hastate: 'ignored' }), ['shutdown', 'reboot', 'suspend', 'hibernate', 'stop', 'reset']],
  ];
  for (const [name, facts, expected] of cases) {
    it(name, () => {
      assert.deepEqual(applicableActions(facts).sort(), [...expected].sort());
    });
  }

  it('explains refusals', () => {
    assert.equal(refusal('start', vm('running')), 'wrongState');
    assert.equal(refusal('reset', ct('running')), 'wrongType');
    assert.equal(refusal('stop', vm('running', { lock: 'snapshot' })), 'locked');
    assert.equal(refusal('start', vm('stopped', { template: true })), 'template');
    assert.equal(refusal('stop', vm('unknown')), 'unknownState');
  });
});

describe('confirmation rules', () => {
  it('start and resume never ask', () => {
    assert.equal(ACTION_RULES.start.caution, 'none');
    assert.equal(ACTION_RULES.resume.caution, 'none');
  });

  it('stop and reset always ask, even when confirmations are relaxed', () => {
    for (const action of ['stop', 'reset'] as const) {
      assert.equal(ACTION_RULES[action].caution, 'destructive');
      assert.equal(needsConfirmation(ACTION_RULES[action].caution, true), true);
    }
  });

  it('shutdown, reboot, suspend and hibernate ask unless relaxed', () => {
    for (const action of ['shutdown', 'reboot', 'suspend', 'hibernate'] as const) {
      assert.equal(needsConfirmation(ACTION_RULES[action].caution, false), true);
      assert.equal(needsConfirmation(ACTION_RULES[action].caution, true), false);
    }
  });
});
