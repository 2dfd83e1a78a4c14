import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { projectRoot } from '../host/paths';
import { currentPage } from './fixture';
import { openProxmoxView } from './proxmoxView';

/**
 * The README's first Quick start command, as a new user runs it: `npm run demo` prints a URL;
 * that URL shows the extension with the environment import offered; Ctrl+C stops everything.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => { if (typeof address === 'object' && address) resolve(address.port); else reject(new Error('no port')); });
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { resolve(false); });
  });
}

suite('npm run demo', () => {
  let demo: ChildProcess | undefined;

  suiteTeardown(() => {
    demo?.kill('SIGKILL');
  });

  test('prints a URL that shows the extension with the import offered, and stops cleanly on Ctrl+C', async function () {
    this.timeout(240_000);
    const port = await freePort();
    demo = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'demo.mjs'), '--port', String(port), '--task-ms', '300'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    demo.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`the demo printed no URL:\n${output}`)); }, 200_000);
      demo?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = new RegExp(`(http://127\\.0\\.0\\.1:${port}/\\?\\S+)`).exec(output);
        if (match?.[1] && output.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      demo?.once('exit', (code) => { reject(new Error(`the demo exited with ${String(code)}:\n${output}`)); });
    });
    assert.match(output, /Certificate SHA-256 fingerprint \(compare it in the trust dialog\): ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assert.doesNotMatch(output, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'the demo printed a token secret');
    const page = currentPage();
    await page.goto(url);
    await openProxmoxView(page);
    await page.getByRole('button', { name: 'Import from Environment', exact: true }).waitFor({ timeout: 60_000 });
    const exited = new Promise<number | null>((resolve) => demo?.once('exit', resolve));
    demo.kill('SIGINT');
    // 130 is what a program stopped by Ctrl+C reports; anything else would be a crash.
    assert.ok([0, 130].includes((await exited) ?? -1));
    demo = undefined;
    // The process group gets SIGKILL on exit; give the kernel a moment to close the listening socket.
    let open = true;
    for (let i = 0; i < 50 && open; i++) {
      open = await portOpen(port);
      if (open) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(open, false, 'code-server is still listening 5 s after Ctrl+C');
  });
});
