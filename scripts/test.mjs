#!/usr/bin/env node
// The project's test entry point.
//   node scripts/test.mjs                      lint, typecheck, build, compile, unit, integration, e2e
//   node scripts/test.mjs unit|integration|e2e [args for that layer's runner, e.g. --grep x]
// Stops at the first failing step with its exit code, and always ends with each step's wall time
// and a closing "total: N passed, N failed" line.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// A fresh clone: install what the layers need before the first step (as root, Debian packages too).
const { ensureNodeModules, ensureDebianPackages } = await import('./ensure.mjs');
ensureNodeModules(root);
if (process.argv[2] !== 'unit') ensureDebianPackages(['chromium', 'fonts-wqy-microhei', 'ripgrep', 'g++', 'make', 'python3', 'pkg-config', 'libkrb5-dev', 'openssl']);
const node = process.execPath;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const layers = ['unit', 'integration', 'e2e'];

const [layer, ...layerArgs] = process.argv.slice(2);
if (layer !== undefined && !layers.includes(layer)) {
  console.error(`usage: node scripts/test.mjs [${layers.join('|')}] [runner args]`);
  process.exit(2);
}

const counts = { passed: 0, failed: 0, skipped: 0, counted: false };
const timings = [];

const steps = {
  lint: () => run([npm, 'run', '--silent', 'lint']),
  typecheck: () => run([npm, 'run', '--silent', 'typecheck']),
  build: () => run([npm, 'run', '--silent', 'build']),
  // A clean out/ so that a deleted or renamed test does not keep running from a stale .js file.
  'compile-tests': () => {
    rmSync(join(root, 'out'), { recursive: true, force: true });
    return run([npm, 'run', '--silent', 'compile-tests']);
  },
  unit: () => {
    const files = findTests(join(root, 'out', 'test', 'unit'));
    if (files.length === 0) {
      console.log('unit: no test files in out/test/unit; nothing to run');
      return Promise.resolve(0);
    }
    // Node 20's --test takes no directory glob: hand it the files.
    return run([node, '--test', '--test-reporter=spec', ...(layer === 'unit' ? layerArgs : []), ...files.map((f) => relative(root, f))]);
  },
  'code-server': () => run([node, 'test/host/installCodeServer.mjs']),
  integration: () => run([node, 'out/test/host/runIntegration.js', ...(layer === 'integration' ? layerArgs : [])]),
  e2e: () => run([node, 'out/test/host/runE2e.js', ...(layer === 'e2e' ? layerArgs : [])]),
  // Last: the production bundle replaces the development one, then the .vsix contents are checked.
  package: async () => {
    const built = await run([npm, 'run', '--silent', 'package']);
    if (built !== 0) return built;
    return run([node, '--test', '--test-reporter=spec', ...findTests(join(root, 'out', 'test', 'package')).map((f) => relative(root, f))]);
  },
};

const plan = layer === undefined
  ? ['lint', 'typecheck', 'build', 'compile-tests', 'unit', 'code-server', 'integration', 'e2e', 'package']
  : ['build', 'compile-tests', ...(layer === 'unit' ? [] : ['code-server']), layer];

let exitCode = 0;
for (const name of plan) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const code = await steps[name]();
  timings.push([name, Date.now() - started, code]);
  if (code !== 0) {
    console.error(`\n${name} failed (exit code ${code})`);
    exitCode = code;
    break;
  }
}
summarize();
process.exit(exitCode);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => join(dir, f));
}

/** Runs a command, passing its output through and picking up the test counts it prints. */
function run([command, ...args]) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(count);
    });
    child.stderr.on('data', (chunk) => { process.stderr.write(chunk); });
    child.on('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolvePromise(1);
    });
    child.on('close', (code, signal) => {
      count(pending);
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

/** The closing lines of node --test's spec reporter and of our mocha runners. */
function count(line) {
  const nodeTest = /^ℹ (pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line.trim());
  if (nodeTest) {
    const n = Number(nodeTest[2]);
    if (nodeTest[1] === 'pass') counts.passed += n;
    else if (nodeTest[1] === 'fail' || nodeTest[1] === 'cancelled') counts.failed += n;
    else counts.skipped += n;
    counts.counted = true;
    return;
  }
  const ours = /^(?:integration|e2e): (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/.exec(line.trim());
  if (ours) {
    counts.passed += Number(ours[1]);
    counts.failed += Number(ours[2]);
    counts.skipped += Number(ours[3] ?? 0);
    counts.counted = true;
  }
}

function summarize() {
  console.log('\nstep            time');
  for (const [name, ms, code] of timings) {
    console.log(`${name.padEnd(15)} ${(ms / 1000).toFixed(1).padStart(6)} s${code === 0 ? '' : `  FAILED (${code})`}`);
  }
  const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`${'all'.padEnd(15)} ${(total / 1000).toFixed(1).padStart(6)} s`);
  if (counts.counted) {
    console.log(`total: ${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`);
  }
}
