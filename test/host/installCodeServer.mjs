#!/usr/bin/env node
// Installs code-server (VS Code 1.100.3 for the browser, with the real Node extension host) into
// .vscode-test/code-server-<version>/, outside the project's dependency tree, so that `npm ci`
// stays small and the integration and e2e layers have a VS Code without internet access.
// Idempotent: a marker written last makes a second run instant; a half-finished install is redone.
// See /work/shared/VSCODE-HOST.md for why each step below exists.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Keep in sync with CODE_SERVER_VERSION in test/host/paths.ts. 4.100.3 is the newest release
// whose engines allow Node 20.
const VERSION = '4.100.3';
// The ripgrep build @vscode/ripgrep 1.15.11 (pinned by code-server's shrinkwrap) downloads.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

// Every dependency with an install script, approved (true) or denied (false), so that npm 11's
// allowScripts policy has nothing unreviewed (see setAllowScripts()). In the prefix's own tree:
// argon2 (password hashing for --auth password; built from source, its prebuilt download is
// unreachable). code-server itself is added per phase.
const TOP_LEVEL_SCRIPTS = { argon2: true };
// In lib/vscode (code-server's copy of VS Code).
const VSCODE_SCRIPTS = {
  'node-pty': true, // terminals; its build runs `npx node-gyp`
  kerberos: true, // proxy authentication; needs libkrb5-dev
  '@vscode/spdlog': true, // logging
  '@vscode/ripgrep': true, // search; fed from a local cache archive, see prepareRipgrepCache()
  '@vscode/deviceid': true,
  '@parcel/watcher': true, // file watching
  'native-watchdog': true,
  // Windows-only modules: their node-gyp builds are wasted time on Linux.
  '@vscode/windows-process-tree': false,
  '@vscode/windows-registry': false,
};
// The folders code-server's postinstall.sh runs `npm install` in.
const NESTED_PROJECTS = [join('lib', 'vscode'), join('lib', 'vscode', 'extensions')];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const prefix = join(root, '.vscode-test', `code-server-${VERSION}`);
const marker = join(prefix, 'installed.json');
const logFile = join(prefix, 'install.log');
const entry = join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const vscodeModules = join(prefix, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function fail(message) {
  console.error(`installCodeServer: ${message}`);
  process.exit(1);
}

function alreadyInstalled() {
  if (!existsSync(marker) || !existsSync(entry)) return false;
  try {
    const m = JSON.parse(readFileSync(marker, 'utf8'));
    // Native modules are built for one Node ABI: a different Node needs a fresh install.
    return m.version === VERSION && m.nodeAbi === process.versions.modules;
  } catch {
    return false;
  }
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Fails with the apt-get line that fixes it, before npm spends a minute finding out. */
function checkPrerequisites() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) fail(`code-server ${VERSION} requires Node 20 (its postinstall refuses others); this is Node ${process.versions.node}.`);
  const missing = [];
  if (!onPath('rg')) missing.push('ripgrep');
  if (!onPath('g++')) missing.push('g++');
  if (!onPath('make')) missing.push('make');
  if (!onPath('python3')) missing.push('python3');
  if (!onPath('pkg-config')) missing.push('pkg-config');
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (!onPath('tar')) missing.push('tar');
  if (missing.length > 0) {
    fail(`missing build prerequisites. Install them with:\n  apt-get install -y ${missing.join(' ')}`);
  }
}

/**
 * @vscode/ripgrep's postinstall downloads ripgrep from GitHub (unreachable here) after looking in a
 * cache folder; an archive of Debian's rg with the expected name satisfies it without a download.
 */
function prepareRipgrepCache() {
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[os.arch()];
  if (!target) fail(`no ripgrep cache mapping for architecture ${os.arch()}.`);
  const cacheDir = join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`);
  if (existsSync(archive)) return;
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(os.tmpdir(), 'rg-staging-'));
  copyFileSync(rg, join(staging, 'rg'));
  const tar = spawnSync('tar', ['-czf', archive, '-C', staging, 'rg'], { stdio: 'inherit' });
  rmSync(staging, { recursive: true, force: true });
  if (tar.status !== 0) fail(`could not create ${archive}`);
}

/**
 * npm 11's install-script policy lives in the project's package.json "allowScripts". npm 11.19
 * skips denied packages and (despite its docs) still runs unreviewed ones with a warning; stricter
 * settings or later npm versions block those too. So every script we need is approved explicitly.
 * An npmrc/--allow-scripts/npm_config_allow_scripts list cannot do it: npm exports that setting to
 * lifecycle scripts as npm_config_allow_scripts, and the project-scoped `npm install`s run by
 * code-server's postinstall (lib/vscode, lib/vscode/extensions) then die with EALLOWSCRIPTS
 * ("--allow-scripts is not allowed in project-scoped installs"). Hence two phases: install with
 * code-server's script denied, write allowScripts into the nested package.json files, run it.
 */
function setAllowScripts(packageJson, allowScripts) {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8'));
  pkg.allowScripts = allowScripts;
  writeFileSync(packageJson, `${JSON.stringify(pkg, null, 2)}\n`);
}

function npmEnv() {
  const env = { ...process.env };
  // code-server's postinstall exits as root unless npm says unsafe-perm (npm 11 no longer knows the
  // option but still exports it to scripts).
  env.npm_config_unsafe_perm = 'true';
  // node-pty's build runs `npx node-gyp`; a `yes=false` npm config makes npx abort at its prompt.
  env.npm_config_yes = 'true';
  // node-gyp would download Node's headers (no internet); builds of Node ship them beside the
  // binary (/usr/bin/node -> /usr/include/node). A machine-wide ~/.npmrc may say so; CI may have none.
  const nodeRoot = dirname(dirname(process.execPath));
  if (!env.npm_config_nodedir && existsSync(join(nodeRoot, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeRoot;
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  env.npm_config_update_notifier = 'false';
  env.npm_config_progress = 'false';
  // Build output and npm's notices about unreviewed install scripts go to the log, not /dev/null.
  env.npm_config_foreground_scripts = 'true';
  // An allow-scripts list in the environment would make the nested project-scoped installs fail
  // with EALLOWSCRIPTS (see setAllowScripts()); the package.json lists cover everything.
  delete env.npm_config_allow_scripts;
  return env;
}

function runNpm(args, env) {
  return new Promise((resolvePromise) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn('npm', args, { cwd: prefix, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('close', (code) => {
      log.end(() => { resolvePromise(code ?? 1); });
    });
  });
}

async function npm(args, env, what) {
  const started = Date.now();
  const code = await runNpm(args, env);
  if (code !== 0) {
    console.error(tail(logFile, 60));
    fail(`${what} failed with exit code ${code} after ${seconds(started)}; full log: ${logFile}`);
  }
}

/** A new dependency with an install script shows up as a notice: worth reviewing, not failing on. */
function reportUnreviewed() {
  const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => /install-scripts\s+\S+@\S+ \(/.test(l));
  if (lines.length > 0) console.log(`  install scripts not on the allowScripts lists (review them):\n${lines.join('\n')}`);
}

function tail(file, lines) {
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function verify() {
  const expected = [
    entry,
    join(vscodeModules, '@vscode', 'ripgrep', 'bin', 'rg'),
    join(vscodeModules, 'node-pty', 'build', 'Release', 'pty.node'),
    join(vscodeModules, '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
  ];
  const absent = expected.filter((f) => !existsSync(f));
  if (absent.length > 0) {
    fail(`install finished but these are missing (an install script was skipped or failed):\n  ${absent.join('\n  ')}\nSee ${logFile}`);
  }
  // code-server writes a default config into $XDG_CONFIG_HOME even for --version: keep it in here.
  const home = join(prefix, 'verify-home');
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
  const version = spawnSync(process.execPath, [entry, '--version'], { encoding: 'utf8', timeout: 60_000, env });
  rmSync(home, { recursive: true, force: true });
  const line = version.stdout.split('\n').find((l) => l.startsWith(`${VERSION} `));
  if (version.status !== 0 || !line) fail(`code-server --version failed:\n${version.stdout}${version.stderr}`);
  return line;
}

async function main() {
  if (alreadyInstalled()) {
    console.log(`code-server ${VERSION} already installed in ${prefix} (checked in ${seconds(started)})`);
    return;
  }
  checkPrerequisites();
  // Start clean: a folder without the marker is a failed or interrupted install.
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  const prefixPackage = join(prefix, 'package.json');
  writeFileSync(prefixPackage, `${JSON.stringify({
    name: 'code-server-test-host',
    private: true,
    description: 'Installed by test/host/installCodeServer.mjs; not part of the project.',
    dependencies: { 'code-server': VERSION },
  }, null, 2)}\n`);

  prepareRipgrepCache();
  const env = npmEnv();
  console.log(`Installing code-server ${VERSION} into ${prefix} (log: ${logFile}) ...`);

  // Phase 1: code-server and its own dependencies, with code-server's postinstall held back.
  const npmStarted = Date.now();
  setAllowScripts(prefixPackage, { ...TOP_LEVEL_SCRIPTS, 'code-server': false });
  await npm(['install', '--omit=dev'], env, 'npm install');
  console.log(`  code-server package and its dependencies: ${seconds(npmStarted)}`);

  // Phase 2: approve the nested installs' native modules, then run code-server's postinstall.
  const vscodeStarted = Date.now();
  const codeServerDir = join(prefix, 'node_modules', 'code-server');
  for (const folder of NESTED_PROJECTS) setAllowScripts(join(codeServerDir, folder, 'package.json'), VSCODE_SCRIPTS);
  setAllowScripts(prefixPackage, { ...TOP_LEVEL_SCRIPTS, 'code-server': true });
  await npm(['rebuild', 'code-server'], env, 'code-server postinstall');
  console.log(`  VS Code dependencies and native modules: ${seconds(vscodeStarted)}`);

  reportUnreviewed();
  const npmTime = seconds(npmStarted);
  const verifyStarted = Date.now();
  const reported = verify();
  writeFileSync(marker, `${JSON.stringify({ version: VERSION, nodeAbi: process.versions.modules, entry, installedAt: new Date().toISOString() }, null, 2)}\n`);
  console.log(`code-server ${reported} installed: npm ${npmTime}, verify ${seconds(verifyStarted)}, total ${seconds(started)}`);
}

await main();
