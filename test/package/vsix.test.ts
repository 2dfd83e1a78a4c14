import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as yauzl from 'yauzl';

/**
 * Runs after `npm run package` (the last step of `npm test`): the .vsix holds only what runs, no
 * sources, tests, source maps or anything secret-looking, and its size is reported.
 */
const root = join(__dirname, '../../..');

function listEntries(file: string): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) {
        reject(error);
        return;
      }
      const entries: { name: string; size: number }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => { resolve(entries); });
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('the packaged .vsix', () => {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(root, 'dist-vsix', `${name}-${version}.vsix`);

  it('exists (npm run package)', () => {
    assert.ok(readdirSync(join(root, 'dist-vsix')).includes(`${name}-${version}.vsix`));
  });

  it('ships only what runs', async () => {
    const entries = await listEntries(vsix);
    const files = entries.map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length)).sort();
    const allowed = [/^dist\/extension\.js$/, /^dist\/extension\.js\.LEGAL\.txt$/, /^dist\/vendor\/[a-z-]+\.js(\.LEGAL\.txt)?$/, /^package\.json$/, /^package\.nls(\.[a-z-]+)?\.json$/, /^l10n\/bundle\.l10n\.[a-z-]+\.json$/, /^media\/icon\.png$/, /^media\/proxmox-activitybar\.svg$/, /^media\/walkthrough\/[a-z-]+\.md$/, /^readme\.md$/, /^changelog\.md$/, /^LICENSE\.txt$/];
    const unexpected = files.filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(unexpected, [], 'files outside the allow-list');
    for (const forbidden of [/\.ts$/, /\.map$/, /^src\//, /^test\//, /^out\//, /node_modules/, /\.vscode-test/, /\.env/, /\.pem$/, /\.key$/]) {
      assert.ok(!files.some((f) => forbidden.test(f)), `${String(forbidden)} in the package`);
    }
    assert.ok(files.includes('l10n/bundle.l10n.zh-cn.json'), 'the Chinese bundle ships');
    assert.ok(files.includes('package.nls.zh-cn.json'));
  });

  it('contains no secret-looking text and no source map reference', async () => {
    const files = (await listEntries(vsix)).map((e) => e.name.replace(/^extension\//, ''));
    const bundle = readFileSync(join(root, 'dist', 'extension.js'), 'utf8');
    assert.ok(!bundle.includes('sourceMappingURL'), 'the production bundle references a source map');
    assert.ok(!/PVEAPIToken=[^$`'"\s{]+=[0-9a-f]{8}-/.test(bundle), 'a token with a secret is embedded');
    assert.ok(!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(bundle));
    // undici is a separate file, required only by lazily loaded modules (not at activation).
    const meta = JSON.parse(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    assert.deepEqual(Object.keys(meta.inputs).filter((input) => input.includes('node_modules/undici/')), [], 'undici is bundled into extension.js');
    assert.ok(files.includes('dist/vendor/undici.js'));
    const size = statSync(vsix).size;
    console.log(`vsix: ${(size / 1024).toFixed(1)} KB; dist/extension.js: ${(statSync(join(root, 'dist', 'extension.js')).size / 1024).toFixed(1)} KB`);
    assert.ok(size < 2 * 1024 * 1024, `the .vsix is ${size} bytes`);
  });
});
