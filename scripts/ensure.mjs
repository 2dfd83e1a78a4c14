// Shared by the demo and the test runner: make a fresh machine ready without surprises.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`failed: ${command} ${args.join(' ')} (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** `npm ci` when node_modules is missing or older than the lock file's install. */
export function ensureNodeModules(root) {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('--- installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], root);
}

/** Installs missing Debian packages when run as root; otherwise says which to install. */
export function ensureDebianPackages(packages) {
  if (process.platform !== 'linux' || spawnSync('dpkg-query', ['--version']).status !== 0) return;
  const missing = packages.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !r.stdout?.includes('install ok installed');
  });
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`Missing Debian packages: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.log(`--- apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-q'], ['install', '-y', '-q', ...missing]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
