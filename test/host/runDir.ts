import * as fs from 'node:fs';
import * as path from 'node:path';
import { vscodeTestDir } from './paths';

/** Older run folders are deleted; the newest are kept because their logs explain a failure. */
const RUNS_KEPT = 10;
let created = 0;

/** A fresh folder under .vscode-test/runs/ for one host's profile, logs and workspace. */
export function createRunDir(label: string): string {
  const runsDir = path.join(vscodeTestDir, 'runs');
  fs.mkdirSync(runsDir, { recursive: true });
  const runs = fs.readdirSync(runsDir).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - RUNS_KEPT))) {
    fs.rmSync(path.join(runsDir, old), { recursive: true, force: true });
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(runsDir, `${stamp}-${label}-${process.pid}-${++created}`);
  fs.mkdirSync(dir);
  return dir;
}
