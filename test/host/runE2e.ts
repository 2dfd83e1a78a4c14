// Runs the UI layer: mocha in plain Node driving code-server's workbench in headless Chromium.
//   node out/test/host/runE2e.js [--grep re] [--timeout ms] [--verbose]
// --timeout bounds the whole run (default 15 min); a run past it exits 124.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { mochaHooks } from '../e2e/fixture';
import { projectRoot } from './paths';

const e2eDir = path.join(projectRoot, 'out', 'test', 'e2e');
const TIMEOUT_EXIT = 124;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { grep: { type: 'string' }, timeout: { type: 'string' }, verbose: { type: 'boolean', default: false } },
  });
  // The fixture reads it when it starts code-server and the browser.
  if (values.verbose) process.env['E2E_VERBOSE'] = '1';
  const timeoutMs = Number(values.timeout ?? process.env['E2E_TIMEOUT_MS'] ?? 900_000);
  if (!fs.existsSync(path.join(projectRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');

  const files = fs.readdirSync(e2eDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(e2eDir, file));
  if (files.length === 0) throw new Error(`no *.test.js files under ${e2eDir}: run npm run compile-tests`);

  const mocha = new Mocha({
    ui: 'tdd',
    // UI steps wait for the workbench; each waits up to 30 s by Playwright's default.
    timeout: 60_000,
    rootHooks: mochaHooks,
    ...(values.grep !== undefined ? { grep: values.grep } : {}),
  });
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  // Ends a hung run; the code-server process group is killed by its exit handler.
  const timer = setTimeout(() => {
    console.error(`e2e run timed out after ${timeoutMs} ms`);
    process.exit(TIMEOUT_EXIT);
  }, timeoutMs);
  const runner = mocha.run();
  const failures = await new Promise<number>((resolve) => { runner.on('end', () => { resolve(runner.failures); }); });
  clearTimeout(timer);
  const { passes, failures: failed, pending } = runner.stats ?? { passes: 0, failures, pending: 0 };
  console.log(`e2e: ${passes} passed, ${failed} failed${pending > 0 ? `, ${pending} skipped` : ''}`);
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => { process.exit(code); },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
