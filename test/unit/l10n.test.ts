import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/**
 * We ship English and Simplified Chinese: every string the code passes to vscode.l10n.t and every
 * manifest string must have a Chinese entry that keeps its placeholders.
 */
const root = join(__dirname, '../../..');
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
const placeholders = (text: string): string[] => (text.match(/\{\d+\}/g) ?? []).sort();
const message = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const inner = typeof value === 'object' && value !== null ? (value as { message?: unknown }).message : undefined;
  return typeof inner === 'string' ? inner : '';
};

describe('localisation', () => {
  it('l10n/bundle.l10n.json is up to date with the code (npm run l10n)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'l10n-'));
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/@vscode/l10n-dev/dist/cli.js'), 'export', '--outDir', dir, join(root, 'src')], { stdio: 'pipe' });
      const fresh = JSON.parse(readFileSync(join(dir, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
      const committed = read('l10n/bundle.l10n.json');
      assert.deepEqual(Object.keys(fresh).sort(), Object.keys(committed).sort(), 'run `npm run l10n` and translate the new strings');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every code string has a Simplified Chinese translation with the same placeholders', () => {
    const english = read('l10n/bundle.l10n.json');
    const chinese = read('l10n/bundle.l10n.zh-cn.json');
    const missing = Object.keys(english).filter((key) => message(chinese[key]).trim() === '');
    assert.deepEqual(missing, [], `${missing.length} strings have no zh-cn entry`);
    const broken = Object.keys(english).filter((key) => JSON.stringify(placeholders(key)) !== JSON.stringify(placeholders(message(chinese[key]))));
    assert.deepEqual(broken, [], 'placeholders differ');
    const stale = Object.keys(chinese).filter((key) => !(key in english));
    assert.deepEqual(stale, [], 'zh-cn entries for strings the code no longer has');
  });

  it('every manifest string exists in English and Chinese', () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const used = [...new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? ''))];
    const english = read('package.nls.json');
    const chinese = read('package.nls.zh-cn.json');
    assert.deepEqual(used.filter((key) => !(key in english)), [], 'package.json names keys package.nls.json lacks');
    assert.deepEqual(Object.keys(english).filter((key) => message(chinese[key]).trim() === ''), [], 'package.nls.zh-cn.json lacks keys');
    const broken = Object.keys(english).filter((key) => JSON.stringify(placeholders(message(english[key]))) !== JSON.stringify(placeholders(message(chinese[key]))));
    assert.deepEqual(broken, []);
    assert.deepEqual(Object.keys(english).filter((key) => !used.includes(key)), [], 'package.nls.json keys nothing uses');
  });

  it('no user-facing string is left out of l10n in the code (showXMessage with a literal)', () => {
    const result = spawnSync('grep', ['-rnE', String.raw`show(Information|Warning|Error)Message\(\s*'`, join(root, 'src')], { encoding: 'utf8' });
    assert.equal(result.stdout.trim(), '');
  });
});
