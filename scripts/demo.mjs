#!/usr/bin/env node
// The demo: a simulated Proxmox VE cluster and a real VS Code with this extension loaded, the
// connection offered through the PVE_* environment-variable import (nothing is pre-configured:
// you confirm the import and the certificate fingerprint yourself).
//
//   npm run demo                      code-server on http://127.0.0.1:8080 (open it in a browser)
//   npm run demo -- --port 9000       another port
//   npm run demo -- --desktop         desktop VS Code (`code` on the PATH) instead of code-server
//   npm run demo -- --offline-node pve3 --task-ms 3000
//
// On a fresh machine it installs what it needs (npm packages, Debian packages when run as root,
// code-server), builds, and starts everything; Ctrl+C stops all of it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages, ensureNodeModules, run } from './ensure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const port = Number(option('--port', '8080'));
const desktop = flag('--desktop');
const offlineNodes = args.flatMap((a, i) => (a === '--offline-node' && args[i + 1] ? [args[i + 1]] : []));
const taskMs = Number(option('--task-ms', '1500'));

ensureNodeModules(root);
if (!desktop) ensureDebianPackages(['g++', 'make', 'python3', 'pkg-config', 'libkrb5-dev', 'ripgrep', 'openssl']);
console.log('--- building the extension and the simulator');
run('npm', ['run', '--silent', 'build'], root);
run('npx', ['tsc', '-p', 'tsconfig.json'], root);
if (!desktop) run(process.execPath, ['test/host/installCodeServer.mjs'], root);

const require = createRequire(import.meta.url);
const { startSimulator } = require(join(root, 'out/test/sim/simulator.js'));
const sim = await startSimulator({ taskDurationMs: taskMs, offlineNodes, unauthorizedDelayMs: 3000 });
const token = sim.tokens.admin;
const env = { PVE_HOST: sim.url, PVE_TOKEN_ID: token.tokenId, PVE_TOKEN_SECRET: token.secret };

let stop = async () => {};
if (desktop) {
  const code = spawnSync('code', ['--version'], { encoding: 'utf8' });
  if (code.status !== 0) {
    console.error('demo: `code` (desktop VS Code) is not on the PATH; run without --desktop to use code-server.');
    await sim.close();
    process.exit(1);
  }
  // A separate profile forces a new VS Code process, which is what passes PVE_* to the extension host.
  const profile = mkdtempSync(join(os.tmpdir(), 'pve-demo-'));
  const child = spawn('code', ['--new-window', '--wait', `--user-data-dir=${profile}`, `--extensionDevelopmentPath=${root}`], { env: { ...process.env, ...env }, stdio: 'inherit' });
  stop = async () => {
    child.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  };
  child.on('exit', () => void shutdown());
  console.log('\nDesktop VS Code is starting with the extension under development.');
} else {
  const { startCodeServer } = require(join(root, 'out/test/host/codeServer.js'));
  const server = await startCodeServer({ label: 'demo', env, bindAddress: `127.0.0.1:${port}`, settings: { 'workbench.startupEditor': 'none' } });
  stop = () => server.stop();
  console.log(`\nOpen this URL in a browser (through an SSH tunnel if the machine is remote):\n\n  ${server.workbenchUrl({ extensionDevelopmentPath: root })}\n`);
}
console.log(`Simulated cluster "homelab": ${sim.url} (nodes pve1, pve2, pve3${offlineNodes.length ? `; offline: ${offlineNodes.join(', ')}` : ''})`);
console.log(`Certificate SHA-256 fingerprint (compare it in the trust dialog): ${sim.fingerprint}`);
console.log(`The Proxmox view offers "Import from Environment" for token ${token.tokenId} (the secret is passed in the environment, never printed).`);
console.log('Press Ctrl+C to stop the demo.');

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the demo…');
  await stop().catch(() => undefined);
  await sim.close().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
