import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { CONTROL_ENV, type Operation, type Operations } from './protocol';

/** Talks to bench/sim/simProcess.ts (see protocol.ts). Works in plain Node and in the extension host. */
export class SimControl {
  constructor(readonly url: string) {}

  /** The control server named by PROXMOX_BENCH_CONTROL (set by the bench runner). */
  static fromEnv(): SimControl {
    const url = process.env[CONTROL_ENV];
    if (url === undefined || url === '') throw new Error(`${CONTROL_ENV} is not set: run the benchmarks through npm run bench`);
    return new SimControl(url);
  }

  async call<K extends Operation>(op: K, request: Operations[K]['request']): Promise<Operations[K]['response']> {
    const res = await fetch(`${this.url}/${op}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`simulator control ${op}: ${(body as { error?: string }).error ?? res.statusText}`);
    return body as Operations[K]['response'];
  }
}

export interface SimProcess {
  readonly control: SimControl;
  stop(): Promise<void>;
}

/** Starts bench/sim/simProcess.js next to this file and waits for its control address. */
export async function startSimProcess(): Promise<SimProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'simProcess.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null): void => { reject(new Error(`the simulator process exited with ${String(code)} before it was ready`)); };
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      try {
        resolve((JSON.parse(line) as { control: string }).control);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve(); }); });
  return {
    control: new SimControl(url),
    async stop() {
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
