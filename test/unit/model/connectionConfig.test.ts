import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeClusterId, normalizeClusterUrl, readEnvImport } from '../../../src/model/connectionConfig';

describe('cluster URLs', () => {
  const ok: [string, string][] = [
    ['pve1', 'https://pve1:8006'],
    ['pve1.example.com:8007', 'https://pve1.example.com:8007'],
    ['https://10.0.0.5:8006/', 'https://10.0.0.5:8006'],
    ['https://10.0.0.5/api2/json', 'https://10.0.0.5:8006'],
    ['https://pve:443', 'https://pve:443'],
    ['[fe80::1]', 'https://[fe80::1]:8006'],
  ];
  for (const [input, url] of ok) {
    it(`${input} → ${url}`, () => {
      assert.deepEqual(normalizeClusterUrl(input), { ok: true, url });
    });
  }
  const bad: [string, string][] = [
    ['', 'empty'],
    ['http://pve1:8006', 'notHttps'],
    ['https://pve1:8006/some/path', 'hasPath'],
    ['https://root:pw@pve1', 'hasCredentials'],
    ['https://pve1:8006/?x=1', 'hasPath'],
  ];
  for (const [input, problem] of bad) {
    it(`refuses ${JSON.stringify(input)} (${problem})`, () => {
      assert.deepEqual(normalizeClusterUrl(input), { ok: false, problem });
    });
  }
});

describe('environment import', () => {
  it('offers nothing when nothing is set', () => {
    assert.equal(readEnvImport({}), undefined);
  });

  it('combines PVE_USER, PVE_REALM and a bare token name', () => {
    const r = readEnvImport({ PVE_HOST: 'pve1', PVE_USER: 'automation', PVE_REALM: 'pve', PVE_TOKEN_ID: 'vscode', PVE_TOKEN_SECRET: 'abc-123' });
    assert.deepEqual(r, { ok: true, value: { url: 'https://pve1:8006', tokenId: 'automation@pve!vscode', secret: 'abc-123', name: 'pve1' } });
  });

  it('accepts a full token id in PVE_TOKEN_ID', () => {
    const r = readEnvImport({ PVE_HOST: 'https://10.1.1.1:8006', PVE_TOKEN_ID: 'root@pam!ci', PVE_TOKEN_SECRET: 's' });
    assert.ok(r?.ok);
    assert.equal(r.value.tokenId, 'root@pam!ci');
  });

  it('says what is missing', () => {
    assert.deepEqual(readEnvImport({ PVE_HOST: 'pve1', PVE_TOKEN_ID: 'vscode', PVE_TOKEN_SECRET: 's' }), { ok: false, problem: 'missingUser' });
    assert.deepEqual(readEnvImport({ PVE_TOKEN_ID: 'a@b!c', PVE_TOKEN_SECRET: 's' }), { ok: false, problem: 'missingHost' });
    assert.deepEqual(readEnvImport({ PVE_HOST: 'pve1', PVE_TOKEN_ID: 'a@b!c' }), { ok: false, problem: 'missingSecret' });
    assert.deepEqual(readEnvImport({ PVE_HOST: 'http://pve1', PVE_TOKEN_ID: 'a@b!c', PVE_TOKEN_SECRET: 's' }), { ok: false, problem: 'badUrl' });
  });
});

describe('cluster ids', () => {
  it('are slugs, unique among existing ones', () => {
    assert.equal(makeClusterId('Home Lab!', new Set()), 'home-lab');
    assert.equal(makeClusterId('Home Lab', new Set(['home-lab'])), 'home-lab-2');
    assert.equal(makeClusterId('中文', new Set()), 'cluster');
  });
});
