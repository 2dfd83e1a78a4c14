import * as fs from 'node:fs';
import * as path from 'node:path';
import { vscodeTestDir } from './paths';

export type HostKind = 'code-server' | 'electron';

export interface HostChoice {
  readonly kind: HostKind;
  /** Why this host: printed so a run says what it tested against. */
  readonly reason: string;
  /** For electron: a desktop VS Code already on disk (otherwise test-electron downloads one). */
  readonly executable?: string;
}

/**
 * Desktop VS Code (through @vscode/test-electron) when asked for or already on this machine;
 * otherwise code-server, which works offline. Decided from local facts only: no network probes.
 */
export function chooseHost(requested: string | undefined): HostChoice {
  const asked = requested ?? process.env['VSCODE_TEST_HOST'];
  const local = localDesktopVSCode();
  if (asked === 'code-server') return { kind: 'code-server', reason: requested ? '--host' : 'VSCODE_TEST_HOST' };
  if (asked === 'electron') {
    return { kind: 'electron', reason: requested ? '--host' : 'VSCODE_TEST_HOST', ...(local ? { executable: local.executable } : {}) };
  }
  if (asked !== undefined && asked !== '') throw new Error(`unknown host "${asked}": use code-server or electron`);
  if (local) return { kind: 'electron', reason: local.reason, executable: local.executable };
  return { kind: 'code-server', reason: 'no desktop VS Code on this machine' };
}

function localDesktopVSCode(): { executable: string; reason: string } | undefined {
  const fromEnv = process.env['VSCODE_EXECUTABLE_PATH'];
  if (fromEnv && fs.existsSync(fromEnv)) return { executable: fromEnv, reason: 'VSCODE_EXECUTABLE_PATH' };
  // test-electron's cache: .vscode-test/vscode-<platform>-<version>/ (the executable is `code` on Linux).
  const entries = fs.existsSync(vscodeTestDir) ? fs.readdirSync(vscodeTestDir) : [];
  const cached = entries
    .filter((name) => /^vscode-linux-[\w]+-[\d.]+(-insider)?$/.test(name))
    .map((name) => path.join(vscodeTestDir, name, 'code'))
    .filter((file) => fs.existsSync(file))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) // 1.100.3 after 1.99.0
    .pop();
  return cached ? { executable: cached, reason: `test-electron cache (${path.relative(vscodeTestDir, cached)})` } : undefined;
}
