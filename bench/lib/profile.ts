// Optional CPU profiles of a measured body (PROXMOX_BENCH_PROFILE=<folder>): written as
// .cpuprofile (open in Chrome DevTools or VS Code), with the top functions by self time printed.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => {
      if (error) reject(error);
      else resolve(result as T);
    });
  });
}

/** The folder named by PROXMOX_BENCH_PROFILE, if profiling is asked for. */
export function profileDir(): string | undefined {
  const dir = process.env['PROXMOX_BENCH_PROFILE'];
  return dir === undefined || dir === '' ? undefined : dir;
}

/** Runs `body` under the V8 sampling profiler and writes `<dir>/<name>.cpuprofile`. */
export async function profiled(dir: string, name: string, body: () => Promise<void>): Promise<string[]> {
  const session = new inspector.Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(session, 'Profiler.start');
    await body();
    const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    return topSelfTime(profile, 20);
  } finally {
    session.disconnect();
  }
}

/** "12.3 ms  functionName  file:line" for the functions with the most self time. */
export function topSelfTime(profile: CpuProfile, count: number): string[] {
  const total = profile.samples?.length ?? 0;
  const msPerSample = total > 0 ? (profile.endTime - profile.startTime) / 1000 / total : 0;
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const key = `${frame.functionName || '(anonymous)'}  ${path.basename(frame.url) || '(native)'}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `${(hits * msPerSample).toFixed(1).padStart(7)} ms  ${key}`);
}
