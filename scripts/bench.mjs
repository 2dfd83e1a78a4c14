#!/usr/bin/env node
// npm run bench [-- --runs N] [--activation-runs N] [--only bundle,node,host] [--keep]
//
// 1. compiles what the benchmarks run (bench/tsconfig.json → out/), 2. builds the dev and the production bundle into a temp
// folder (esbuild.config.mjs, run there so dist/ of the working tree is never touched), plus a
// what-if variant with undici in a separate file, 3. packages the .vsix with vsce (offline) from a
// clean copy of the tracked files and unpacks what it ships, 4. runs out/bench/runBench.js: the
// plain-Node scenarios, then the extension-host scenarios in code-server with the unpacked .vsix
// loaded, and prints one table (also written to bench/results/latest.json).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { analyzeMetafile, bundleMeasurements, vsixContents } from '../bench/bundleSize.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'activation-runs': { type: 'string', default: '5' },
    only: { type: 'string', default: 'bundle,node,host' },
    keep: { type: 'boolean', default: false },
  },
});
const only = new Set(args.only.split(','));
const tmp = mkdtempSync(join(tmpdir(), 'pve-bench-'));
const vsce = join(root, 'node_modules', '.bin', 'vsce');

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', stdio: options.capture ? 'pipe' : 'inherit', ...options });
  if (result.status !== 0) {
    if (options.capture) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${command} ${commandArgs.join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result.stdout ?? '';
}

/** esbuild.config.mjs writes to ./dist of its working directory: give it one of its own. */
function buildInto(dir, production) {
  mkdirSync(dir, { recursive: true });
  for (const entry of ['src', 'node_modules', 'package.json', 'tsconfig.json', 'tsconfig.base.json', 'esbuild.config.mjs']) {
    symlinkSync(join(root, entry), join(dir, entry));
  }
  run(process.execPath, ['esbuild.config.mjs', ...(production ? ['--production'] : [])], { cwd: dir, capture: true });
  return join(dir, 'dist');
}

/**
 * What-if: the production build with undici left out of extension.js (it would ship as a second
 * file). Only its load time is measured, to price undici's parse cost on the activation path.
 */
async function buildSplitVariant(dir) {
  await esbuild.build({
    entryPoints: { extension: join(root, 'src/extension.ts') },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir: join(dir, 'dist'),
    external: ['vscode', 'undici'],
    minify: true,
    logLevel: 'silent',
  });
  return join(dir, 'dist', 'extension.js');
}

/** A clean copy of the tracked (and not ignored) files, with the production bundle, packaged by vsce. */
function packageVsix(prodDist) {
  const stage = join(tmp, 'stage');
  mkdirSync(stage);
  const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { capture: true }).split('\0').filter(Boolean);
  for (const file of files) {
    try {
      cpSync(join(root, file), join(stage, file), { recursive: true });
    } catch {
      // listed by git but deleted in the working tree
    }
  }
  rmSync(join(stage, 'dist'), { recursive: true, force: true });
  cpSync(prodDist, join(stage, 'dist'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
  const vsixFile = join(tmp, 'extension.vsix');
  const flags = ['--no-dependencies', '--skip-license', '--allow-missing-repository'];
  run(vsce, ['package', ...flags, '--out', vsixFile], { cwd: stage, capture: true, input: '' });
  const listed = run(vsce, ['ls', '--no-dependencies'], { cwd: stage, capture: true }).split('\n').map((l) => l.trim()).filter(Boolean);
  // What the .vsix ships, unpacked: the extension host loads exactly this.
  const unpacked = join(tmp, 'extension');
  for (const file of listed) cpSync(join(stage, file), join(unpacked, file));
  return { vsixBytes: statSync(vsixFile).size, contents: vsixContents(stage, listed), unpacked };
}

/** The unpacked .vsix with the what-if bundle; undici comes from the project's node_modules. */
function whatIfExtension(unpacked, splitBundle) {
  const dir = join(tmp, 'extension-what-if');
  cpSync(unpacked, dir, { recursive: true });
  cpSync(splitBundle, join(dir, 'dist', 'extension.js'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(root, 'node_modules', 'undici'), join(dir, 'node_modules', 'undici'));
  return dir;
}

const measurements = [];
const passArgs = ['--runs', args.runs, '--activation-runs', args['activation-runs'], '--only', args.only];

try {
  console.log('=== compile (tsc -p bench/tsconfig.json) ===');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join('bench', 'tsconfig.json')]);

  console.log('=== build: dev, production, what-if variant ===');
  const devDist = buildInto(join(tmp, 'dev'), false);
  const prodDist = buildInto(join(tmp, 'prod'), true);
  const splitBundle = await buildSplitVariant(join(tmp, 'split'));
  const dev = analyzeMetafile(join(devDist, 'meta.json'));
  const prod = analyzeMetafile(join(prodDist, 'meta.json'));
  measurements.push(...bundleMeasurements('production', prod, { goals: true }));
  measurements.push({ scenario: 'bundle (dev)', metric: 'dist/extension.js', unit: 'KB', samples: [dev.outputBytes / 1024] });
  measurements.push({ scenario: 'bundle (dev)', metric: 'dist/extension.js.map', unit: 'KB', samples: [statSync(join(devDist, 'extension.js.map')).size / 1024] });
  measurements.push({ scenario: 'bundle (what-if: undici in its own file)', metric: 'dist/extension.js', unit: 'KB', samples: [statSync(splitBundle).size / 1024] });

  console.log('=== package the .vsix (vsce, offline) ===');
  const vsix = packageVsix(prodDist);
  const scenario = '.vsix (production bundle)';
  measurements.push({ scenario, metric: '.vsix file (compressed)', unit: 'KB', samples: [vsix.vsixBytes / 1024] });
  measurements.push({ scenario, metric: 'files shipped', unit: 'files', samples: [vsix.contents.files] });
  measurements.push({ scenario, metric: 'shipped, uncompressed', unit: 'KB', samples: [vsix.contents.total / 1024], note: Object.entries(vsix.contents.byFolder).sort((a, b) => b[1] - a[1]).map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KB`).join(', ') });
  measurements.push({ scenario, metric: 'shipped but never loaded', unit: 'KB', samples: [vsix.contents.notNeeded / 1024], note: 'anything but package*.json, l10n/, media/, dist/extension.js and its LEGAL.txt' });

  const measurementsFile = join(tmp, 'bundle-measurements.json');
  writeFileSync(measurementsFile, JSON.stringify(measurements));
  if (!only.has('bundle')) writeFileSync(measurementsFile, '[]');

  console.log('=== scenarios ===');
  run(process.execPath, [
    join(root, 'out', 'bench', 'runBench.js'),
    ...passArgs,
    '--measurements', measurementsFile,
    '--extension', vsix.unpacked,
    '--what-if-extension', whatIfExtension(vsix.unpacked, splitBundle),
    '--bundle', `dev=${join(devDist, 'extension.js')}`,
    '--bundle', `production=${join(prodDist, 'extension.js')}`,
    '--bundle', `what-if: undici split out=${splitBundle}`,
  ]);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (args.keep) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
