// Runs every benchmark scenario and prints one table; started by scripts/bench.mjs after the builds:
//   node out/bench/runBench.js [--runs N] [--activation-runs N] [--only bundle,node,host]
//     [--measurements bundle.json] [--extension <unpacked .vsix>] [--bundle label=file]...
// Plain-Node scenarios run in this process; the extension-host ones run in code-server through
// test/host/runIntegration.js, once for everything and then again (fresh host each time) for more
// cold-activation samples. The simulators run in a child process (bench/sim/simProcess.ts).
// Writes bench/results/latest.json and latest.md. Measures and reports only: the exit code is 0 unless a
// scenario could not run.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatMarkdown, formatTable, Recorder, summarize, verdict, type Measurement } from './lib/measure';
import { moduleLoadScenarios } from './node/moduleLoad';
import { parseScenarios } from './node/parse';
import { pollingScenarios } from './node/polling';
import { refreshScenarios } from './node/refresh';
import { CONTROL_ENV } from './sim/protocol';
import { startSimProcess } from './sim/simControl';

const root = path.resolve(__dirname, '..', '..');

interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd?: readonly number[];
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

interface Options {
  readonly runs: number;
  readonly activationRuns: number;
  readonly only: Set<string>;
  readonly measurements: string | undefined;
  readonly extension: string | undefined;
  /** The unpacked .vsix with the what-if bundle (undici in its own file), for activation only. */
  readonly whatIfExtension: string | undefined;
  readonly bundles: Map<string, string>;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '7' },
      'activation-runs': { type: 'string', default: '5' },
      only: { type: 'string', default: 'bundle,node,host' },
      measurements: { type: 'string' },
      extension: { type: 'string' },
      'what-if-extension': { type: 'string' },
      bundle: { type: 'string', multiple: true, default: [] },
    },
  });
  const bundles = new Map<string, string>();
  for (const spec of values.bundle) {
    const at = spec.indexOf('=');
    if (at > 0) bundles.set(spec.slice(0, at), spec.slice(at + 1));
  }
  return {
    runs: Math.max(1, Number(values.runs)),
    activationRuns: Math.max(1, Number(values['activation-runs'])),
    only: new Set(values.only.split(',')),
    measurements: values.measurements,
    extension: values.extension,
    whatIfExtension: values['what-if-extension'],
    bundles,
  };
}

let hostRuns = 0;
let hostFailures = 0;

/** One code-server run of bench/host/index.js; returns its measurements (none if it failed). */
function runHost(extension: string, control: string, runs: number, grep: string | undefined, label: string, variant?: string): Measurement[] {
  const out = path.join(os.tmpdir(), `pve-bench-host-${process.pid}-${++hostRuns}.json`);
  fs.rmSync(out, { force: true });
  console.log(`\n--- extension host: ${label} ---`);
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'out', 'test', 'host', 'runIntegration.js'),
      '--tests', path.join(root, 'out', 'bench', 'host', 'index.js'),
      '--extension', extension,
      '--timeout', '1200000',
      ...(grep !== undefined ? ['--grep', grep] : []),
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, [CONTROL_ENV]: control, PROXMOX_BENCH_OUT: out, PROXMOX_BENCH_RUNS: String(runs) } },
  );
  if (!fs.existsSync(out)) {
    console.error(`the extension-host run "${label}" wrote no results (exit code ${String(result.status)})`);
    hostFailures++;
    return [];
  }
  const parsed = JSON.parse(fs.readFileSync(out, 'utf8')) as { host: string; measurements: Measurement[] };
  fs.rmSync(out, { force: true });
  if (result.status !== 0) {
    console.error(`the extension-host run "${label}" exited with ${String(result.status)}; keeping what it measured`);
    hostFailures++;
  }
  const host = variant === undefined ? `extension host: ${parsed.host}` : `${variant}, extension host: ${parsed.host}`;
  return parsed.measurements.map((m) => ({ ...m, scenario: m.scenario.replace('extension host', host) }));
}

/** Samples of the same scenario and metric from several host runs become one row. */
function merge(measurements: readonly Measurement[]): Measurement[] {
  const out: Measurement[] = [];
  const byKey = new Map<string, Measurement>();
  for (const m of measurements) {
    const key = `${m.scenario}\u0000${m.metric}`;
    const existing = byKey.get(key);
    if (existing) {
      const merged = { ...existing, samples: [...existing.samples, ...m.samples] };
      byKey.set(key, merged);
      out[out.indexOf(existing)] = merged;
    } else {
      byKey.set(key, m);
      out.push(m);
    }
  }
  return out;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const opts = options();
  const info = machine();
  const recorder = new Recorder();
  if (opts.measurements !== undefined) {
    for (const m of JSON.parse(fs.readFileSync(opts.measurements, 'utf8')) as Measurement[]) recorder.add(m);
  }
  const sims = await startSimProcess();
  try {
    if (opts.only.has('node')) {
      console.log('\n--- plain Node: module load ---');
      if (opts.bundles.size > 0) moduleLoadScenarios(opts.bundles, recorder, opts.runs);
      console.log('--- plain Node: refresh, resources once vs per node ---');
      await refreshScenarios(sims.control, recorder, opts.runs);
      console.log('--- plain Node: parse and filter 10,000 guests ---');
      await parseScenarios(sims.control, recorder, opts.runs);
      console.log('--- plain Node: task polling schedules ---');
      await pollingScenarios(sims.control, recorder, opts.runs);
    }
    if (opts.only.has('host')) {
      if (opts.extension === undefined) throw new Error('--extension is required for the extension-host scenarios');
      const host: Measurement[] = [];
      host.push(...runHost(opts.extension, sims.control.url, opts.runs, undefined, 'all scenarios'));
      for (let run = 2; run <= opts.activationRuns; run++) {
        host.push(...runHost(opts.extension, sims.control.url, opts.runs, 'Activation', `activation ${run}/${opts.activationRuns}`));
      }
      if (opts.whatIfExtension !== undefined) {
        for (let run = 1; run <= opts.activationRuns; run++) {
          host.push(...runHost(opts.whatIfExtension, sims.control.url, opts.runs, 'Activation', `what-if activation ${run}/${opts.activationRuns}`, 'what-if: undici in its own file'));
        }
      }
      for (const m of merge(host)) recorder.add(m);
    }
  } finally {
    await sims.stop();
  }
  const measurements = recorder.measurements;
  const done: Machine = { ...info, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  console.log(`\nMachine: ${done.cpu}, ${done.cores} cores, ${done.memoryGiB} GiB, Node ${done.node}, ${done.os}; load average ${done.loadAverageAtStart.join('/')} at start, ${done.loadAverageAtEnd?.join('/') ?? '?'} at end`);
  console.log(`Medians of ${opts.runs} runs (activation: ${opts.activationRuns} fresh extension hosts); goals compare the median.\n`);
  console.log(formatTable(measurements));
  const notes = measurements.filter((m) => m.note !== undefined);
  if (notes.length > 0) {
    console.log('\nNotes:');
    for (const m of notes) console.log(`  ${m.scenario} / ${m.metric.trim()}: ${m.note ?? ''}`);
  }
  const failed = measurements.filter((m) => verdict(m) === 'FAIL');
  console.log(`\n${measurements.filter((m) => verdict(m) === 'pass').length} goals met, ${failed.length} missed${failed.length > 0 ? `: ${failed.map((m) => `${m.scenario} / ${m.metric.trim()}`).join('; ')}` : ''}`);
  if (hostFailures > 0) {
    console.error(`${hostFailures} extension-host run(s) failed: their rows are missing or incomplete`);
    process.exitCode = 1;
  }
  const resultsDir = path.join(root, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(
    path.join(resultsDir, 'latest.md'),
    `Results of \`npm run bench\`, ${new Date().toISOString()}, commit ${gitCommit()}.\n\nMachine: ${done.cpu}, ${done.cores} cores, ${done.memoryGiB} GiB, Node ${done.node}; load average ${done.loadAverageAtStart.join('/')} at start. Medians of ${opts.runs} runs (activation: ${opts.activationRuns} fresh extension hosts).\n\n${formatMarkdown(measurements)}\n`,
  );
  fs.writeFileSync(
    path.join(resultsDir, 'latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), commit: gitCommit(), machine: done, runs: opts.runs, activationRuns: opts.activationRuns, measurements: measurements.map((m) => ({ ...m, ...summarize(m.samples), verdict: verdict(m) })) }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
