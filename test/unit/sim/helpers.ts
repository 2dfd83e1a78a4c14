// Test helpers: a simulator with short timings and an HTTPS client (node:https, trusting the
// simulator's certificate) that returns the status line's reason phrase as well as the body.
import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { startSimulator, type Simulator, type SimulatorOptions, type TokenInfo } from '../../sim/simulator';

export async function startTestSim(opts: SimulatorOptions = {}): Promise<Simulator> {
  // EC keys make a start ~10x faster than PVE's RSA 2048; TLS behaves the same for the client.
  return startSimulator({ taskDurationMs: 40, unauthorizedDelayMs: 0, haDelayMs: 60, ...opts, certificate: { keyType: 'ec', ...opts.certificate } });
}

export interface Reply {
  readonly status: number;
  /** The reason phrase of the status line (res.statusMessage). */
  readonly reason: string;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly json: { data?: unknown; message?: string; errors?: Record<string, string>; total?: number; [k: string]: unknown } | undefined;
}

export interface CallOptions {
  /** Token to authenticate with (omit for no Authorization header). */
  readonly token?: TokenInfo;
  /** Raw Authorization header instead of a token. */
  readonly authorization?: string;
  /** Form body (application/x-www-form-urlencoded). */
  readonly form?: Record<string, string>;
  /** JSON body. */
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
  readonly agent?: Agent;
}

export function agentFor(sim: Simulator, keepAlive = false, extra: ConstructorParameters<typeof Agent>[0] = {}): Agent {
  return new Agent({ ca: sim.caPem ?? sim.certificatePem, keepAlive, maxSockets: 1, ...extra });
}

export function tokenHeader(token: TokenInfo): string {
  return `PVEAPIToken=${token.tokenId}=${token.secret}`;
}

export function call(sim: Simulator, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = tokenHeader(opts.token);
  if (opts.authorization !== undefined) headers.Authorization = opts.authorization;
  let body: string | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  }
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  const url = new URL(path.startsWith('/api2') || path === '/' ? path : `/api2/json${path}`, sim.url);
  const options: RequestOptions = { method, headers, agent: opts.agent ?? agentFor(sim) };
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Reply['json'];
        try {
          json = text === '' ? undefined : (JSON.parse(text) as Reply['json']);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** GET with a token, asserting nothing; returns `data`. */
export async function getData<T = unknown>(sim: Simulator, path: string, token: TokenInfo): Promise<T> {
  const r = await call(sim, 'GET', path, { token });
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.reason}`);
  return r.json?.data as T;
}

export interface TaskStatus {
  upid: string;
  node: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  user: string;
  tokenid?: string;
  type: string;
  id: string;
  pid: number;
  pstart: number;
  starttime: number;
}

/** Polls a task's status until it has stopped (like a client would). */
export async function waitTask(sim: Simulator, upid: string, token: TokenInfo, timeoutMs = 5000): Promise<TaskStatus> {
  const node = upid.split(':')[1] ?? '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const st = await getData<TaskStatus>(sim, `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`, token);
    if (st.status === 'stopped') return st;
    if (Date.now() > deadline) throw new Error(`task ${upid} still running`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `fn` returns true. */
export async function until(fn: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(10);
  }
}
