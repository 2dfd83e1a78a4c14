// Runs the integration layer: mocha inside a real VS Code extension host.
//   node out/test/host/runIntegration.js [--host code-server|electron] [--grep re] [--timeout ms] [--verbose]
//     [--tests <entry.js>] [--extension <folder>]
// --tests runs another run() entry (the benchmarks: out/bench/host/index.js); --extension loads the
// extension from another folder (the benchmarks load the unpacked .vsix). Both default to the project.
// Exits with the test run's code; a run that exceeds the timeout is ended and exits 124.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { launchBrowser, type Browser } from './browser';
import { chooseHost, type HostChoice } from './chooseHost';
import { startCodeServer } from './codeServer';
import { MochaOutput } from './mochaOutput';
import { projectRoot, testResultsDir } from './paths';
import { createRunDir } from './runDir';

const defaultTestsEntry = path.join(projectRoot, 'out', 'test', 'integration', 'index.js');
const TIMEOUT_EXIT = 124;

interface Options {
  readonly host: string | undefined;
  readonly grep: string | undefined;
  readonly timeoutMs: number;
  readonly verbose: boolean;
  readonly testsEntry: string;
  readonly extensionPath: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      grep: { type: 'string' },
      timeout: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      tests: { type: 'string' },
      extension: { type: 'string' },
    },
  });
  const timeoutMs = Number(values.timeout ?? process.env['INTEGRATION_TIMEOUT_MS'] ?? 300_000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`bad --timeout ${String(values.timeout)}`);
  return {
    host: values.host,
    grep: values.grep,
    timeoutMs,
    verbose: values.verbose,
    testsEntry: path.resolve(values.tests ?? defaultTestsEntry),
    extensionPath: path.resolve(values.extension ?? projectRoot),
  };
}

async function main(): Promise<number> {
  const options = readOptions();
  const bundle = path.join(options.extensionPath, 'dist', 'extension.js');
  for (const [file, fix] of [[options.testsEntry, 'npm run compile-tests'], [bundle, 'npm run build']] as const) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(projectRoot, file)} is missing: run ${fix}`);
  }
  const host = chooseHost(options.host);
  console.log(`Integration tests on ${host.kind} (${host.reason})`);
  // Read by test/integration/host.test.ts, and the path later suites use to configure the extension.
  const env: Record<string, string> = { PROXMOX_TEST_HOST: host.kind };
  if (options.grep !== undefined) env['MOCHA_GREP'] = options.grep;
  const started = Date.now();
  const code = host.kind === 'electron' ? await runOnElectron(host, env, options) : await runOnCodeServer(env, options);
  console.log(`Integration run ended with exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

async function runOnCodeServer(env: Record<string, string>, options: Options): Promise<number> {
  const server = await startCodeServer({ label: 'integration', env, verbose: options.verbose });
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  const output = new MochaOutput(options.verbose);
  try {
    browser = await launchBrowser({ profileDir: path.join(server.runDir, 'chromium') });
    const { page } = browser;
    let exit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => { exit = resolve; });
    // The workbench looks these up when it runs extension tests; they must exist before it loads.
    await page.exposeFunction('codeAutomationLog', output.log);
    await page.exposeFunction('codeAutomationExit', (code: number) => { exit(code); });
    if (options.verbose) page.on('console', (message) => { console.error(`[browser] ${message.text()}`); });
    page.on('pageerror', (error) => { console.error(`[page error] ${error.message}`); });
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(`Integration run timed out after ${options.timeoutMs} ms; logs in ${server.runDir}`);
        resolve(TIMEOUT_EXIT);
      }, options.timeoutMs);
    });
    await Promise.race([page.goto(server.workbenchUrl({ extensionDevelopmentPath: options.extensionPath, extensionTestsPath: options.testsEntry })), timedOut]);
    const code = await Promise.race([exited, timedOut]);
    if (code === TIMEOUT_EXIT) {
      // What the workbench showed when it hung (a dialog waiting for input, say).
      const file = path.join(testResultsDir, 'integration-timeout.png');
      fs.mkdirSync(testResultsDir, { recursive: true });
      await page.screenshot({ path: file, timeout: 10_000 }).then(() => { console.error(`Screenshot: ${file}`); }, () => undefined);
    }
    if (code === 0 && !output.sawSummary) {
      console.error('The run exited 0 but mocha\'s summary never reached the launcher: treating it as a failure.');
      return 1;
    }
    if (output.sawSummary) console.log(`integration: ${output.passed} passed, ${output.failed} failed${output.pending > 0 ? `, ${output.pending} skipped` : ''}`);
    return code;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
}

async function runOnElectron(host: HostChoice, env: Record<string, string>, options: Options): Promise<number> {
  const runDir = createRunDir('integration-electron');
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace);
  let timer: NodeJS.Timeout | undefined;
  const run = runTests({
    extensionDevelopmentPath: options.extensionPath,
    extensionTestsPath: options.testsEntry,
    extensionTestsEnv: env,
    // Without a local VS Code, test-electron downloads this version (needs internet). The same
    // VS Code as code-server, and the oldest the manifest's engines.vscode accepts.
    ...(host.executable !== undefined ? { vscodeExecutablePath: host.executable } : { version: process.env['VSCODE_TEST_VERSION'] ?? '1.100.3' }),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${path.join(runDir, 'user-data')}`,
      `--extensions-dir=${path.join(runDir, 'extensions')}`,
    ],
  }).then(() => 0, (error: unknown) => {
    console.error(`Integration run failed: ${String(error)}`);
    return 1;
  });
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      console.error(`Integration run timed out after ${options.timeoutMs} ms`);
      resolve(TIMEOUT_EXIT);
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

main().then(
  (code) => { process.exit(code); },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
