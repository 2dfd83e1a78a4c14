// Module load time of each bundle in plain Node (a fresh process per sample, `vscode` stubbed):
// compares the dev and the production build, and the what-if build with undici split out, to
// price what the activation path pays for code it does not run. The real activation (module load
// plus activate() in the extension host) is measured in bench/host/activation.bench.ts.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Recorder } from '../lib/measure';

export function moduleLoadScenarios(bundles: ReadonlyMap<string, string>, recorder: Recorder, runs: number): void {
  const child = path.join(__dirname, 'loadBundle.js');
  const samples = new Map<string, number[]>();
  // Interleaved runs, one unrecorded round first (disk cache).
  for (let run = -1; run < runs; run++) {
    for (const [label, file] of bundles) {
      const out = execFileSync(process.execPath, [child, file], { encoding: 'utf8' });
      const { loadMs } = JSON.parse(out) as { loadMs: number };
      if (run < 0) continue;
      let list = samples.get(label);
      if (!list) samples.set(label, (list = []));
      list.push(loadMs);
    }
  }
  for (const [label, list] of samples) {
    recorder.add({ scenario: 'module load in plain Node (vscode stubbed)', metric: `require() ${label} bundle`, unit: 'ms', samples: list });
  }
}
