import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUserApiPath } from '../../../src/api/userPath';

describe('palette API paths (SECURITY.md scenario 23)', () => {
  const accepted: [string, string][] = [
    ['/cluster/resources', '/cluster/resources'],
    ['/nodes/', '/nodes'],
    ['/', '/'],
    ['/api2/json/version', '/version'],
    ['  /nodes/pve1/qemu/100/config ', '/nodes/pve1/qemu/100/config'],
    [
      '/nodes/pve1/tasks/UPID:pve1:0003A2F1:01C9E2A4:6A0D7B5F:qmstart:100:root@pam:/log',
      `/nodes/pve1/tasks/${encodeURIComponent('UPID:pve1:0003A2F1:01C9E2A4:6A0D7B5F:qmstart:100:root@pam:')}/log`,
    ],
  ];
  for (const [input, path] of accepted) {
    it(`accepts ${input.trim()}`, () => {
      const result = parseUserApiPath(input);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.path, path);
    });
  }

  const rejected: [string, string][] = [
    ['../..', 'relative'],
    ['/nodes/../access', 'dotSegment'],
    ['/nodes/./x', 'dotSegment'],
    ['a/b', 'relative'],
    ['/nodes/pve1%2F..%2Faccess', 'percent'],
    ['%2F', 'percent'],
    ['https://evil/', 'absoluteUrl'],
    ['//evil/api2/json', 'absoluteUrl'],
    ['/nodes//qemu', 'doubleSlash'],
    ['/version?foo=1', 'query'],
    ['/version#x', 'fragment'],
    ['/access/users/root@pam', 'userInfo'],
    ['/nodes/pve 1', 'character'],
    ['/nodes/pve\\1', 'character'],
    ['', 'empty'],
    ['/' + 'a'.repeat(1100), 'tooLong'],
  ];
  for (const [input, problem] of rejected) {
    it(`rejects ${JSON.stringify(input.slice(0, 40))} (${problem})`, () => {
      const result = parseUserApiPath(input);
      assert.deepEqual(result, { ok: false, problem });
    });
  }
});
