import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PveError } from '../../../src/api/errors';
import { guestPath, snapshotPath, taskPath } from '../../../src/api/paths';
import { tryParseUpid } from '../../../src/api/upid';
import { parseUserApiPath } from '../../../src/api/userPath';

/**
 * Validators against arbitrary strings: whatever is typed or received, a built path stays inside
 * the API root: it starts with `/`, has no empty, `.` or `..` segment after pveproxy's decoding,
 * no `?`/`#`, and decodes to the same number of segments it was built from.
 */
const RUNS = 5000;
let tried = 0;

/** Strings rich in the characters that matter for paths. */
const nasty = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '_', '.', '/', '\\', '%', '2', 'F', 'f', '?', '#', '@', ':', '!', '=', ' ', '\n', '\r', '\u0000', 'é', '~', '+', ',') , maxLength: 60 });
const anyString = fc.oneof(nasty, fc.string({ maxLength: 80 }), fc.constantFrom('../..', 'a/b', '%2F', '..%2F..', 'https://evil/', '//evil', '/./', '/..', 'UPID:pve1:0003A2F1:01C9E2A4:6A0D7B5F:qmstart:100:root@pam:'));

function assertInsideApiRoot(path: string): void {
  assert.ok(path.startsWith('/'), path);
  assert.ok(!path.includes('?') && !path.includes('#'), path);
  // pveproxy decodes %2F before splitting: check the decoded form.
  const decoded = decodeURIComponent(path);
  if (path !== '/') {
    const raw = path.slice(1).split('/');
    const segments = decoded.slice(1).split('/');
    assert.equal(segments.length, raw.length, `a segment hides a slash: ${path}`);
    for (const s of segments) assert.ok(s !== '' && s !== '.' && s !== '..', `bad segment in ${path}`);
  }
}

describe('property: path validators against arbitrary strings', () => {
  it('palette paths: accepted ones stay inside the API root; nothing else is accepted', () => {
    fc.assert(
      fc.property(anyString, (input) => {
        tried++;
        const result = parseUserApiPath(input);
        if (result.ok) assertInsideApiRoot(result.path);
      }),
      { numRuns: RUNS },
    );
  });

  it('node, VMID and snapshot name: invalid input throws invalidInput, valid input builds a safe path', () => {
    fc.assert(
      fc.property(anyString, fc.oneof(fc.integer(), fc.double()), anyString, (node, vmid, snap) => {
        for (const build of [() => guestPath({ node, type: 'qemu', vmid }), () => snapshotPath({ node: 'pve1', type: 'lxc', vmid: 100 }, snap), () => guestPath({ node, type: 'lxc', vmid: 101 })]) {
          tried++;
          try {
            assertInsideApiRoot(build());
          } catch (error) {
            if (error instanceof assert.AssertionError) throw error;
            assert.ok(PveError.is(error, 'invalidInput'), String(error));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('UPIDs: only PVE\'s format parses, and task paths stay inside the root', () => {
    const upidLike = fc.tuple(anyString, fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'.split('')), minLength: 8, maxLength: 8 }), anyString, anyString).map(([node, hex, type, user]) => `UPID:${node}:${hex}:${hex}:${hex}:${type}:100:${user}:`);
    fc.assert(
      fc.property(fc.oneof(anyString, upidLike), (text) => {
        tried++;
        const parsed = tryParseUpid(text);
        try {
          const path = taskPath(text);
          assert.ok(parsed, 'a path was built from an unparsable UPID');
          assertInsideApiRoot(path);
          assert.ok(path.startsWith(`/nodes/${parsed.node}/tasks/`));
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
          assert.ok(PveError.is(error, 'invalidInput'));
          assert.equal(parsed, undefined);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('reports how many inputs were tried', () => {
    console.log(`property inputs tried (paths): ${tried}`);
    assert.ok(tried >= RUNS * 4);
  });
});
