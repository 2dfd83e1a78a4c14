import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PveError } from '../../../src/api/errors';
import { guestPath, isValidNodeName, isValidVmid, snapshotNameProblem, snapshotPath, taskPath } from '../../../src/api/paths';

describe('path builders validate before encoding', () => {
  it('builds guest paths from valid parts', () => {
    assert.equal(guestPath({ node: 'pve1', type: 'qemu', vmid: 100 }), '/nodes/pve1/qemu/100');
    assert.equal(guestPath({ node: 'node-2', type: 'lxc', vmid: 999999999 }), '/nodes/node-2/lxc/999999999');
  });

  for (const node of ['', '-pve', 'pve-', 'a/b', '..', 'pve%2F1', 'pve 1', 'pve1\n', 'p'.repeat(64)]) {
    it(`refuses node ${JSON.stringify(node)} with zero side effects`, () => {
      assert.equal(isValidNodeName(node), false);
      assert.throws(() => guestPath({ node, type: 'qemu', vmid: 100 }), (e) => PveError.is(e, 'invalidInput'));
    });
  }

  for (const vmid of [0, 99, 1e9, 100.5, -100, Number.NaN]) {
    it(`refuses VMID ${vmid}`, () => {
      assert.throws(() => guestPath({ node: 'pve1', type: 'qemu', vmid }), (e) => PveError.is(e, 'invalidInput'));
    });
  }

  it('accepts the VMID range PVE accepts', () => {
    assert.ok(isValidVmid(100));
    assert.ok(isValidVmid('999999999'));
    assert.ok(!isValidVmid('0100'));
  });

  it('refuses a guest type other than qemu/lxc', () => {
    assert.throws(() => guestPath({ node: 'pve1', type: 'openvz' as 'qemu', vmid: 100 }), (e) => PveError.is(e, 'invalidInput'));
  });
});

describe('snapshot names follow pve-configid and the reserved names', () => {
  const cases: [string, ReturnType<typeof snapshotNameProblem>][] = [
    ['pre-update', undefined],
    ['Before_Maintenance', undefined],
    ['ab', undefined],
    ['a'.repeat(40), undefined],
    ['a'.repeat(41), 'tooLong'],
    ['a', 'tooShort'],
    ['', 'empty'],
    ['1st', 'pattern'],
    ['a/b', 'pattern'],
    ['a%2Fb', 'pattern'],
    ['../x', 'pattern'],
    ['with space', 'pattern'],
    ['current', 'reserved'],
    ['PENDING', 'reserved'],
    ['vzdump', 'reserved'],
  ];
  for (const [name, problem] of cases) {
    it(`${JSON.stringify(name)} → ${problem ?? 'ok'}`, () => {
      assert.equal(snapshotNameProblem(name), problem);
    });
  }

  it('encodes nothing it has not validated', () => {
    assert.equal(snapshotPath({ node: 'pve1', type: 'lxc', vmid: 101 }, 'pre-update'), '/nodes/pve1/lxc/101/snapshot/pre-update');
    assert.throws(() => snapshotPath({ node: 'pve1', type: 'lxc', vmid: 101 }, '../../version'), (e) => PveError.is(e, 'invalidInput'));
  });
});

describe('task paths use the node inside the UPID', () => {
  it('routes to the UPID node and encodes the UPID', () => {
    const upid = 'UPID:pve2:00011F3A:00A4C2B1:6A0D7C10:qmsnapshot:101:automation@pve!vscode:';
    assert.equal(taskPath(upid), `/nodes/pve2/tasks/${encodeURIComponent(upid)}`);
  });

  it('refuses something that is not a UPID', () => {
    assert.throws(() => taskPath('UPID:pve2:/../../x:'), (e) => PveError.is(e, 'invalidInput'));
  });
});
