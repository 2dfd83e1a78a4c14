import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFingerprint, parseFingerprint, sameFingerprint } from '../../../src/api/fingerprint';

const HEX = 'ab'.repeat(32);

describe('fingerprints in PVE format', () => {
  it('formats as 32 upper-case pairs joined by colons', () => {
    assert.equal(formatFingerprint(HEX), Array(32).fill('AB').join(':'));
  });

  it('accepts pasted variants', () => {
    for (const input of [HEX, HEX.toUpperCase(), formatFingerprint(HEX).toLowerCase(), `sha256 ${formatFingerprint(HEX)}`, ` ${formatFingerprint(HEX)} `]) {
      const parsed = parseFingerprint(input);
      assert.ok(parsed.ok, input);
      assert.equal(parsed.fingerprint, formatFingerprint(HEX));
    }
  });

  it('refuses SHA-1 and junk (scenario 5)', () => {
    assert.deepEqual(parseFingerprint('ab'.repeat(20)), { ok: false, problem: 'sha1' });
    assert.deepEqual(parseFingerprint('zz'.repeat(32)), { ok: false, problem: 'malformed' });
    assert.deepEqual(parseFingerprint('ab'.repeat(31)), { ok: false, problem: 'malformed' });
    assert.deepEqual(parseFingerprint(''), { ok: false, problem: 'empty' });
  });

  it('compares regardless of format', () => {
    assert.ok(sameFingerprint(HEX, formatFingerprint(HEX)));
    assert.ok(!sameFingerprint(HEX, 'cd'.repeat(32)));
  });
});
