#!/usr/bin/env node
// Makes dist-vsix/proxmox-ve-<version>.vsix from the production bundle (run by `npm run package`
// after the production build). --no-dependencies: everything that runs is in dist/extension.js.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outDir = join(root, 'dist-vsix');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, `${name}-${version}.vsix`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(`${relative(root, out)}: ${(statSync(out).size / 1024).toFixed(1)} KB`);
