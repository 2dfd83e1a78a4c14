import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { unwrapEnvelope } from '../../../src/api/envelope';
import { PveError } from '../../../src/api/errors';
import { guestStatusSchema, snapshotSchema } from '../../../src/api/schemas/guest';
import { parseList, parseObject } from '../../../src/api/schemas/parse';
import { parsePermissions } from '../../../src/api/schemas/permissions';
import { guestResourceSchema, nodeResourceSchema, parseClusterResources } from '../../../src/api/schemas/resources';
import { taskListItemSchema, taskStatusSchema } from '../../../src/api/schemas/tasks';
import { indexResources } from '../../../src/model/clusterIndex';
import { buildSnapshotTree } from '../../../src/model/snapshotTree';

/**
 * Untrusted input never throws past the API boundary except as a PveError, and no invalid item is
 * ever kept. Counts of tried inputs are printed for docs/reliability.md.
 */
const RUNS = 2000;
let tried = 0;

/** Arbitrary JSON, biased towards PVE-shaped objects so the item schemas are really exercised. */
const pveValue = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constantFrom(0, 1, '0', '1', 'running', 'stopped', 'qemu', 'lxc', 'node', 'pve1', '100', '-1', '1e3', ''), fc.string());
const pveObject = fc.dictionary(
  fc.constantFrom('id', 'type', 'vmid', 'node', 'status', 'name', 'template', 'cpu', 'mem', 'maxmem', 'lock', 'tags', 'hastate', 'pool', 'storage', 'upid', 'starttime', 'user', 'parent', 'snaptime', 'vmstate'),
  pveValue,
);
const anyJson = fc.oneof(fc.jsonValue(), pveObject, fc.array(pveObject, { maxLength: 30 }));

function boundary(run: () => unknown): void {
  tried++;
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PveError, `threw ${String(error)} instead of a PveError`);
  }
}

describe('property: schemas and envelope against arbitrary JSON', () => {
  it('unwrapEnvelope throws only PveError, for any status and body', () => {
    fc.assert(fc.property(fc.integer({ min: 100, max: 700 }), fc.string(), anyJson, (status, reason, body) => { boundary(() => unwrapEnvelope(status, reason, body)); }), { numRuns: RUNS });
  });

  it('cluster resources: never throws, and every kept item re-validates against its schema', () => {
    fc.assert(
      fc.property(fc.oneof(anyJson, fc.array(pveObject, { maxLength: 60 })), (data) => {
        tried++;
        let parsed;
        try {
          parsed = parseClusterResources(data);
        } catch (error) {
          assert.ok(PveError.is(error, 'invalidResponse'));
          return;
        }
        for (const guest of parsed.guests) assert.ok(z.safeParse(guestResourceSchema, guest).success);
        for (const node of parsed.nodes) assert.ok(z.safeParse(nodeResourceSchema, node).success);
        // The model built on top never throws either.
        indexResources(parsed);
      }),
      { numRuns: RUNS },
    );
  });

  it('lists and objects of the other endpoints: PveError or valid items only', () => {
    const schemas = [guestStatusSchema, snapshotSchema, taskStatusSchema, taskListItemSchema];
    fc.assert(
      fc.property(anyJson, fc.nat(schemas.length - 1), (data, which) => {
        const schema = schemas[which]!;
        boundary(() => parseObject(schema, data, 'prop'));
        tried++;
        try {
          for (const item of parseList(schema, data, 'prop')) assert.ok(z.safeParse(schema, item).success);
        } catch (error) {
          assert.ok(PveError.is(error, 'invalidResponse'));
        }
        boundary(() => parsePermissions(data));
      }),
      { numRuns: RUNS },
    );
  });

  it('the snapshot tree keeps every distinct snapshot, whatever the parent links', () => {
    const snapshots = fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'current'), parent: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'x'), { nil: undefined }) }), { maxLength: 12 });
    fc.assert(
      fc.property(snapshots, (list) => {
        tried++;
        const tree = buildSnapshotTree(list);
        const seen: string[] = [];
        const walk = (nodes: typeof tree): void => {
          for (const n of nodes) {
            seen.push(n.snapshot.name);
            walk(n.children);
          }
        };
        walk(tree);
        assert.deepEqual(seen.sort(), [...new Set(list.map((s) => s.name))].sort());
      }),
      { numRuns: RUNS },
    );
  });

  it('reports how many inputs were tried', () => {
    console.log(`property inputs tried (parsing): ${tried}`);
    assert.ok(tried >= RUNS * 5);
  });
});
