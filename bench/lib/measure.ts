// What every scenario reports: a named metric with its samples, a unit and (optionally) a goal the
// median is compared with. Shared by the plain-Node scenarios, the extension-host suite and the
// runner that prints the table. Benchmarks only measure and report; nothing here fails a build.

export type Unit = 'ms' | 'KB' | 'MB' | 'requests' | 'events' | 'items' | 'polls' | 'files' | 'count';

export interface Goal {
  readonly op: '<' | '<=' | '==';
  readonly value: number;
}

export interface Measurement {
  /** Groups rows in the table, e.g. `refresh 100 nodes / 10000 guests`. */
  readonly scenario: string;
  readonly metric: string;
  readonly unit: Unit;
  readonly samples: readonly number[];
  readonly goal?: Goal;
  readonly note?: string;
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[n - 1] ?? Number.NaN, runs: n };
}

export type Verdict = 'pass' | 'FAIL' | '';

/** The median against the goal; no goal, no verdict. */
export function verdict(m: Measurement): Verdict {
  if (!m.goal || m.samples.length === 0) return '';
  const { median } = summarize(m.samples);
  switch (m.goal.op) {
    case '<':
      return median < m.goal.value ? 'pass' : 'FAIL';
    case '<=':
      return median <= m.goal.value ? 'pass' : 'FAIL';
    case '==':
      return median === m.goal.value ? 'pass' : 'FAIL';
  }
}

/** Collects measurements; `time` runs a body `runs` times (after `warmup` unrecorded runs). */
export class Recorder {
  readonly measurements: Measurement[] = [];

  add(m: Measurement): Measurement {
    this.measurements.push(m);
    return m;
  }

  async time(runs: number, body: () => Promise<void> | void, warmup = 0): Promise<number[]> {
    for (let i = 0; i < warmup; i++) await body();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await body();
      samples.push(performance.now() - started);
    }
    return samples;
  }
}

export function formatNumber(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '-';
  if (unit === 'ms' || unit === 'KB' || unit === 'MB') {
    if (Math.abs(value) >= 100) return value.toFixed(0);
    if (Math.abs(value) >= 10) return value.toFixed(1);
    return value.toFixed(2);
  }
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function formatGoal(goal: Goal | undefined, unit: Unit): string {
  return goal ? `${goal.op} ${formatNumber(goal.value, unit)} ${unit}` : '';
}

/** A plain-text table: scenario, metric, median, min, max, runs, goal, pass/fail. */
export function formatTable(measurements: readonly Measurement[]): string {
  const header = ['scenario', 'metric', 'median', 'min', 'max', 'runs', 'goal', 'result'];
  const rows = measurements.map((m) => {
    const s = summarize(m.samples);
    return [
      m.scenario,
      m.metric,
      `${formatNumber(s.median, m.unit)} ${m.unit}`,
      formatNumber(s.min, m.unit),
      formatNumber(s.max, m.unit),
      String(s.runs),
      formatGoal(m.goal, m.unit),
      verdict(m),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule];
  let previous: string | undefined;
  for (const [index, row] of rows.entries()) {
    const scenario = measurements[index]?.scenario;
    // The scenario name once per group keeps the table readable.
    out.push(line(scenario === previous ? ['', ...row.slice(1)] : row));
    previous = scenario;
  }
  return out.join('\n');
}

/** Same table as GitHub markdown, for docs/benchmarks.md. */
export function formatMarkdown(measurements: readonly Measurement[]): string {
  const out = ['| scenario | metric | median | min | max | runs | goal | result |', '|---|---|---:|---:|---:|---:|---|---|'];
  for (const m of measurements) {
    const s = summarize(m.samples);
    out.push(`| ${m.scenario} | ${m.metric} | ${formatNumber(s.median, m.unit)} ${m.unit} | ${formatNumber(s.min, m.unit)} | ${formatNumber(s.max, m.unit)} | ${s.runs} | ${formatGoal(m.goal, m.unit)} | ${verdict(m)} |`);
  }
  return out.join('\n');
}
