// Starts code-server (VS Code 1.100.3 for the browser, with the real Node extension host) for the
// integration and e2e layers. Everything it writes goes into a fresh run folder under
// .vscode-test/runs/, so runs neither see each other nor touch the real home directory.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerEntry, codeServerMarker, installScript } from './paths';
import { writeLocaleStub } from './localeStub';
import { createRunDir } from './runDir';

export interface CodeServerOptions {
  /** Names the run folder: `integration`, `e2e`, … */
  readonly label: string;
  /** Added to code-server's environment, which its extension host inherits (e.g. PVE_HOST). */
  readonly env?: Readonly<Record<string, string>>;
  /** Merged over the default user settings. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Display language (e.g. `zh-cn`): the extension's strings switch, VS Code's own stay English (localeStub.ts). */
  readonly locale?: string;
  /** Echo the server's output as well as writing it to `<run>/code-server.log`. */
  readonly verbose?: boolean;
  readonly startTimeoutMs?: number;
  /** `127.0.0.1:0` (default, a free port); the demo may ask for a fixed one. Loopback only. */
  readonly bindAddress?: string;
}

/** What the workbench should load, as paths on this machine. */
export interface WorkbenchPayload {
  readonly extensionDevelopmentPath?: string;
  readonly extensionTestsPath?: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly runDir: string;
  /** An empty folder opened as the workspace. */
  readonly workspaceDir: string;
  readonly logFile: string;
  workbenchUrl(payload?: WorkbenchPayload): string;
  /** Ends code-server's whole process group (extension host, pty host, watchers). */
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic; callers can override any. */
const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.commandCenter.enabled': false,
  // The workspace folder sits inside this git repository: no "open the parent repository?" toast.
  'git.openRepositoryInParentFolders': 'never',
};

export function isCodeServerInstalled(): boolean {
  return fs.existsSync(codeServerMarker) && fs.existsSync(codeServerEntry);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!isCodeServerInstalled()) {
    throw new Error(`code-server is not installed; run: node ${path.relative(process.cwd(), installScript)}`);
  }
  const runDir = createRunDir(options.label);
  const dirs = {
    home: path.join(runDir, 'home'),
    // Outside the run folder: VS Code puts unix sockets here, whose paths must stay under 108 bytes.
    tmp: fs.mkdtempSync(path.join(os.tmpdir(), 'pve-cs-')),
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    workspace: path.join(runDir, 'workspace'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    `${JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2)}\n`,
  );
  // An empty config file: code-server would otherwise create one with a random password.
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(configFile, '');

  const args = [
    codeServerEntry,
    '--config', configFile,
    '--bind-addr', options.bindAddress ?? '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
  if (options.locale !== undefined) {
    writeLocaleStub(dirs.userData, options.locale);
    args.push('--locale', options.locale);
  }

  const logFile = path.join(runDir, 'code-server.log');
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: dirs.workspace,
    env: serverEnv(dirs, options.env ?? {}),
    // Its own process group, so stop() can end the extension host and helpers with it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');

  // If this process dies without calling stop(), do not leave a server behind.
  const killOnExit = (): void => {
    killGroup(pid, 'SIGKILL');
    fs.rmSync(dirs.tmp, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);
  exitOnSignals();

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => { exited = true; resolve(); });
  });

  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`code-server printed no address within ${startTimeout(options)} ms; see ${logFile}`)); }, startTimeout(options));
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      // Output can still arrive while stop() closes the log.
      if (!log.writableEnded) log.write(text);
      if (options.verbose === true) process.stderr.write(`[code-server] ${text}`);
      const match = /HTTP server listening on (https?:\/\/[^/\s]+)/.exec(text);
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exitedPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`code-server exited before listening; see ${logFile}`));
    });
  }).catch(async (error: unknown) => {
    killGroup(pid, 'SIGKILL');
    process.off('exit', killOnExit);
    await exitedPromise;
    fs.rmSync(dirs.tmp, { recursive: true, force: true });
    throw error;
  });
  const host = new URL(origin).host;
  let stopped = false;

  return {
    origin,
    runDir,
    workspaceDir: dirs.workspace,
    logFile,
    workbenchUrl(payload: WorkbenchPayload = {}): string {
      // The workbench resolves these as URIs on the server, not in the browser.
      const remote = (p: string): string => `vscode-remote://${host}${path.resolve(p)}`;
      const entries: [string, string][] = [['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
      if (payload.extensionDevelopmentPath !== undefined) entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
      if (payload.extensionTestsPath !== undefined) entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
      return `${origin}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
    },
    async stop(): Promise<void> {
      // A second stop must not signal a process group id that may belong to someone else by now.
      if (stopped) return;
      stopped = true;
      if (!exited) {
        killGroup(pid, 'SIGTERM');
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => { resolve('timeout'); }, 5000).unref());
        await Promise.race([exitedPromise, timeout]);
      }
      // The leader may be gone while its children (extension host, watchers) linger.
      killGroup(pid, 'SIGKILL');
      process.off('exit', killOnExit);
      fs.rmSync(dirs.tmp, { recursive: true, force: true });
      await new Promise<void>((resolve) => { log.end(resolve); });
    },
  };
}

function startTimeout(options: CodeServerOptions): number {
  return options.startTimeoutMs ?? 60_000;
}

function serverEnv(dirs: { home: string; tmp: string; userData: string }, extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Variables of a VS Code this runs inside (its terminal) would confuse the server and extension host.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return {
    ...env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_STATE_HOME: path.join(dirs.home, '.local', 'state'),
    // No marketplace: nothing to look up, and no internet to look it up on.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

let signalsHandled = false;

/**
 * Ctrl-C or a CI timeout's SIGTERM would end this process without its 'exit' handlers, and the
 * detached server (its own process group, out of the terminal's reach) would live on.
 */
function exitOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => { process.exit(code); });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
