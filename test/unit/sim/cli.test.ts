// `npm run sim` (scripts/sim.mjs): one JSON line on stdout, a working server, clean exit on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { parseArgs } from '../../sim/cli';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('cli', () => {
  it('parses the documented flags', () => {
    const a = parseArgs(['--port', '0', '--offline-node', 'pve3', '--big', '10x200', '--task-ms', '5', '--latency-ms', '7', '--verbose']);
    assert.deepEqual([a.port, a.offline, a.big, a.taskMs, a.latencyMs, a.verbose, a.unauthorizedDelayMs], [0, ['pve3'], { nodes: 10, guests: 200 }, 5, 7, true, 3000]);
    assert.throws(() => parseArgs(['--bogus']), /unknown argument/);
  });

  it('serves the demo cluster and prints the connection line', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'sim.mjs'), '--port', '0', '--offline-node', 'pve3', '--unauthorized-delay-ms', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', resolve);
        child.once('exit', (code) => {
          reject(new Error(`exited with ${String(code)}`));
        });
      });
      const info = JSON.parse(line) as { url: string; tokenId: string; secret: string; fingerprint: string; tokens: Record<string, { tokenId: string }> };
      assert.match(info.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.tokenId, 'automation@pve!admin');
      assert.match(info.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      assert.equal(info.tokens.readonly?.tokenId, 'auditor@pve!readonly');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${info.url}/api2/json/nodes`, { rejectUnauthorized: false, headers: { Authorization: `PVEAPIToken=${info.tokenId}=${info.secret}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 200);
    } finally {
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
    }
  });
});
