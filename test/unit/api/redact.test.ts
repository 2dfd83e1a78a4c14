import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../../../src/api/redact';

const SECRET = '5f0c7f0e-8c51-4a1b-9a55-0c9c2a6d3e11';

describe('redaction', () => {
  it('masks the secret raw, URL-encoded and in the token header', () => {
    const r = new Redactor();
    r.addSecret(SECRET);
    const text = `header PVEAPIToken=root@pam!vscode=${SECRET} url ?x=${encodeURIComponent(SECRET)} plain ${SECRET}`;
    const out = r.redact(text);
    assert.ok(!out.includes(SECRET), out);
    assert.ok(!out.includes('5f0c7f0e'), out);
  });

  it('masks a secret wrapped across CR/LF', () => {
    const r = new Redactor();
    r.addSecret(SECRET);
    const wrapped = `${SECRET.slice(0, 10)}\r\n${SECRET.slice(10)}`;
    assert.ok(!r.redact(`log: ${wrapped}`).includes(SECRET.slice(10)));
  });

  it('masks a secret that itself contains CR/LF (pasted badly)', () => {
    const r = new Redactor();
    const canary = 'canary-1234\r\nsecret-5678';
    r.addSecret(canary);
    const out = r.redact(`a canary-1234 b secret-5678 c ${encodeURIComponent(canary)}`);
    assert.ok(!out.includes('canary-1234'), out);
    assert.ok(!out.includes('secret-5678'), out);
  });

  it('masks credential patterns even for unknown secrets', () => {
    const r = new Redactor();
    const out = r.redact('Authorization: PVEAPIToken=u@pve!t=abc; Cookie: PVEAuthCookie=PVE:u@pve:6A0D7B5F::c2lnbmF0dXJl; CSRFPreventionToken: 6A0D7B5F:aGVsbG8=');
    assert.ok(!out.includes('=abc'), out);
    assert.ok(!out.includes('c2lnbmF0dXJl'), out);
    assert.ok(!out.includes('aGVsbG8='), out);
  });

  it('leaves ordinary text alone', () => {
    const r = new Redactor();
    r.addSecret(SECRET);
    assert.equal(r.redact('VM 100 web01 on pve1: running → stopped'), 'VM 100 web01 on pve1: running → stopped');
  });
});
