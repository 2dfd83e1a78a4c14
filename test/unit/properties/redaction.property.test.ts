import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Redactor } from '../../../src/api/redact';

/**
 * Redaction against arbitrary secrets embedded anywhere: raw, URL-encoded, in the token header,
 * split across CR/LF. No 8-character piece of the secret may survive.
 */
const RUNS = 3000;
let tried = 0;
const secretChars = fc.constantFrom(...'abcdef0123456789-ABCDEFxyz_'.split(''));
const secret = fc.string({ unit: secretChars, minLength: 12, maxLength: 48 });
const filler = fc.string({ maxLength: 40 });

function leaks(text: string, value: string): string | undefined {
  for (let i = 0; i + 8 <= value.length; i++) {
    const piece = value.slice(i, i + 8);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

describe('property: redaction', () => {
  it('masks a known secret wherever and however it appears', () => {
    fc.assert(
      fc.property(secret, filler, filler, fc.nat(40), fc.constantFrom('raw', 'encoded', 'header', 'crlf', 'lf', 'json'), (value, before, after, cut, form) => {
        tried++;
        const redactor = new Redactor();
        redactor.addSecret(value);
        const at = Math.min(cut, value.length);
        const embedded = {
          raw: value,
          encoded: encodeURIComponent(value),
          header: `PVEAPIToken=root@pam!x=${value}`,
          crlf: `${value.slice(0, at)}\r\n${value.slice(at)}`,
          lf: `${value.slice(0, at)}\n${value.slice(at)}`,
          json: JSON.stringify({ secret: value }),
        }[form];
        const out = redactor.redact(`${before}${embedded}${after}`);
        const unwrapped = out.replace(/\r?\n/g, '');
        const leaked = leaks(unwrapped.replace(before.replace(/\r?\n/g, ''), '').replace(after.replace(/\r?\n/g, ''), ''), value);
        assert.equal(leaked, undefined, `"${leaked ?? ''}" of the secret survived in ${JSON.stringify(out)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('never alters text that does not contain a secret or credential pattern', () => {
    fc.assert(
      fc.property(secret, fc.string({ unit: fc.constantFrom(...'VM 100 web01 on pve1: running → stopped ,.()'.split('')), maxLength: 60 }), (value, text) => {
        tried++;
        const redactor = new Redactor();
        redactor.addSecret(value);
        fc.pre(!text.includes(value.slice(0, 4)));
        assert.equal(redactor.redact(text), text);
      }),
      { numRuns: RUNS },
    );
  });

  it('reports how many inputs were tried', () => {
    console.log(`property inputs tried (redaction): ${tried}`);
    assert.ok(tried >= RUNS);
  });
});
