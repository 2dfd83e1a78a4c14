// Runs PVE simulators for the benchmarks in a process of their own and takes orders over a small
// JSON/HTTP control server on 127.0.0.1. Prints one line `{"control":"http://127.0.0.1:PORT"}` when
// ready; ends on SIGTERM/SIGINT or when its parent's stdin closes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { bigCluster } from '../../test/sim/bigCluster';
import { demoCluster } from '../../test/sim/demoCluster';
import { startSimulator, type Simulator } from '../../test/sim/simulator';
import type { GuestSummary, Operation, Operations, RequestSummary } from './protocol';

const sims = new Map<string, Simulator>();

function sim(name: string): Simulator {
  const found = sims.get(name);
  if (!found) throw new Error(`no simulator named ${name}`);
  return found;
}

type Handler<K extends Operation> = (request: Operations[K]['request']) => Promise<Operations[K]['response']> | Operations[K]['response'];

const handlers: { [K in Operation]: Handler<K> } = {
  async start(request) {
    await sims.get(request.name)?.close();
    const cluster = request.cluster.kind === 'demo' ? demoCluster() : bigCluster({ nodes: request.cluster.nodes, guests: request.cluster.guests });
    // The default certificate (RSA 2048, like PVE's own) keeps TLS handshakes realistic.
    const started = await startSimulator({
      cluster,
      latencyMs: request.latencyMs ?? 0,
      taskDurationMs: request.taskDurationMs ?? 300,
      // Enough for the largest scenario (per-node listing of 100 nodes, repeated).
      requestLogLimit: 200_000,
    });
    sims.set(request.name, started);
    const token = started.tokens.admin;
    return { name: request.name, url: started.url, fingerprint: started.fingerprint, certificatePem: started.certificatePem, tokenId: token.tokenId, secret: token.secret };
  },
  async stop(request) {
    await sims.get(request.name)?.close();
    sims.delete(request.name);
    return { ok: true };
  },
  takeRequests(request) {
    const s = sim(request.name);
    const out: RequestSummary[] = s.requests.map((r) => ({ seq: r.seq, time: r.time, method: r.method, apiPath: r.apiPath ?? r.path, status: r.status, durationMs: r.durationMs }));
    s.requests.length = 0;
    return out;
  },
  setGuestStatus(request) {
    sim(request.name).state.setGuestStatus(request.vmid, request.status);
    return { ok: true };
  },
  overrideTask(request) {
    sim(request.name).tasks.override({
      ...(request.id !== undefined ? { id: request.id } : {}),
      ...(request.type !== undefined ? { type: request.type } : {}),
      durationMs: request.durationMs,
      times: request.times ?? 1,
    });
    return { ok: true };
  },
  guests(request) {
    const s = sim(request.name);
    const out: GuestSummary[] = [];
    for (const g of s.state.guests.values()) {
      out.push({ vmid: g.vmid, type: g.type, node: g.node, running: g.running, template: s.state.isTemplate(g), ha: s.state.isHaManaged(g.vmid) });
    }
    return out;
  },
  setLatency(request) {
    sim(request.name).options.latencyMs = request.latencyMs;
    return { ok: true };
  },
};

function isOperation(name: string): name is Operation {
  return Object.hasOwn(handlers, name);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const op = (req.url ?? '/').slice(1);
  try {
    if (req.method !== 'POST' || !isOperation(op)) throw new Error(`unknown operation ${req.method ?? '?'} /${op}`);
    const body = await readJson(req);
    // The protocol types are shared with the client; the body is trusted like any test fixture.
    const result = await (handlers[op] as (request: unknown) => Promise<unknown>)(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  }
}

async function shutdown(code: number): Promise<never> {
  for (const s of sims.values()) await s.close().catch(() => undefined);
  process.exit(code);
}

const server = createServer((req, res) => { void handle(req, res); });
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no control address');
  process.stdout.write(`${JSON.stringify({ control: `http://127.0.0.1:${address.port}` })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => { void shutdown(0); });
// The parent holds our stdin open; when it goes away (even killed), so do we.
process.stdin.resume();
process.stdin.once('end', () => { void shutdown(0); });
