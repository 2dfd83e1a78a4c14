// The extension-host side of the benchmarks (the test-electron contract, also used by
// code-server): VS Code loads this module and calls run(). Mocha runs the scenarios in a fixed
// order, activation first (it must find the extension not yet active); the measurements go to the
// JSON file named by PROXMOX_BENCH_OUT, which bench/runBench.ts merges across host runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { recorder } from './hostContext';

const ORDER = ['activation.bench.js', 'scale.bench.js', 'action.bench.js'];

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    // Benchmarks are slow on purpose; the launcher's own timeout still ends a hung run.
    timeout: 600_000,
    ...(process.env['MOCHA_GREP'] ? { grep: process.env['MOCHA_GREP'] } : {}),
  });
  for (const file of ORDER) mocha.addFile(path.join(__dirname, file));
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => { mocha.run(resolve); });
  const out = process.env['PROXMOX_BENCH_OUT'];
  if (out) {
    fs.writeFileSync(out, JSON.stringify({ host: process.env['PROXMOX_TEST_HOST'] ?? 'unknown', measurements: recorder.measurements }));
  }
  if (failures > 0) throw new Error(`${failures} benchmark scenario(s) failed to run`);
}
