import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Snapshot } from '../../../src/api/schemas/guest';
import { buildSnapshotTree, currentParent, type SnapshotNode } from '../../../src/model/snapshotTree';

function shape(nodes: SnapshotNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? { [n.snapshot.name]: shape(n.children) } : n.snapshot.name));
}

describe('snapshot tree from parent links', () => {
  it('builds the chain of NOTES.md §14 D regardless of order', () => {
    const list: Snapshot[] = [
      { name: 'updates', snaptime: 1779100000, description: 'before apt upgrade', parent: 'base', vmstate: true },
      { name: 'current', description: 'You are here!', running: true, parent: 'updates' },
      { name: 'base', snaptime: 1778000000, description: '', vmstate: false },
    ];
    assert.deepEqual(shape(buildSnapshotTree(list)), [{ base: [{ updates: ['current'] }] }]);
    assert.equal(currentParent(list), 'updates');
  });

  it('orders branches by time and keeps NOW last among siblings', () => {
    const list: Snapshot[] = [
      { name: 'current', parent: 'a' },
      { name: 'b2', parent: 'a', snaptime: 30 },
      { name: 'b1', parent: 'a', snaptime: 20 },
      { name: 'a', snaptime: 10 },
    ];
    assert.deepEqual(shape(buildSnapshotTree(list)), [{ a: ['b1', 'b2', 'current'] }]);
  });

  it('a guest without snapshots has only NOW', () => {
    assert.deepEqual(shape(buildSnapshotTree([{ name: 'current', description: 'You are here!' }])), ['current']);
  });

  it('survives a missing parent and a cycle without losing entries', () => {
    const list: Snapshot[] = [
      { name: 'orphan', parent: 'gone' },
      { name: 'x', parent: 'y' },
      { name: 'y', parent: 'x' },
    ];
    const names = JSON.stringify(shape(buildSnapshotTree(list)));
    for (const n of ['orphan', 'x', 'y']) assert.ok(names.includes(`"${n}"`), names);
  });
});
