// The control protocol between the benchmarks and bench/sim/simProcess.ts, which runs the PVE
// simulators in their own process: the measured client (plain Node or the extension host) must not
// share its event loop with the server it measures. JSON over HTTP on 127.0.0.1.

export type ClusterShape = { readonly kind: 'demo' } | { readonly kind: 'big'; readonly nodes: number; readonly guests: number };

export interface StartRequest {
  readonly name: string;
  readonly cluster: ClusterShape;
  readonly latencyMs?: number;
  readonly taskDurationMs?: number;
}

export interface StartedSim {
  readonly name: string;
  readonly url: string;
  readonly fingerprint: string;
  readonly certificatePem: string;
  /** The demo admin token (Administrator on `/`, privilege-separated). */
  readonly tokenId: string;
  readonly secret: string;
}

/** One request as the simulator saw it (a subset of test/sim/requestLog.ts RequestRecord). */
export interface RequestSummary {
  readonly seq: number;
  /** Unix ms when the request head was complete. */
  readonly time: number;
  readonly method: string;
  readonly apiPath: string;
  readonly status: number | undefined;
  readonly durationMs: number | undefined;
}

export interface GuestSummary {
  readonly vmid: number;
  readonly type: 'qemu' | 'lxc';
  readonly node: string;
  readonly running: boolean;
  readonly template: boolean;
  readonly ha: boolean;
}

export interface Operations {
  start: { request: StartRequest; response: StartedSim };
  stop: { request: { name: string }; response: { ok: true } };
  /** Returns every request since the last call (and forgets them). */
  takeRequests: { request: { name: string }; response: RequestSummary[] };
  setGuestStatus: { request: { name: string; vmid: number; status: 'running' | 'stopped' }; response: { ok: true } };
  /** The next `times` tasks for guest `id` (or of `type`) run this long. */
  overrideTask: { request: { name: string; id?: string; type?: string; durationMs: number; times?: number }; response: { ok: true } };
  guests: { request: { name: string }; response: GuestSummary[] };
  setLatency: { request: { name: string; latencyMs: number }; response: { ok: true } };
}

export type Operation = keyof Operations;

/** Environment variable through which a child process (or the extension host) finds the control server. */
export const CONTROL_ENV = 'PROXMOX_BENCH_CONTROL';
