// Requests and wall time of one full refresh: the extension's way (one /cluster/resources) against
// the per-node way other clients use (/nodes, then /nodes/{n}/qemu and /nodes/{n}/lxc per node),
// through the extension's own client and transport, against the simulator with 20 ms per request.
import type { PveClient } from '../../src/api/client';
import { benchClient, type BenchClient } from '../lib/client';
import type { Recorder } from '../lib/measure';
import type { SimControl } from '../sim/simControl';

export const REFRESH_SIZES = [
  { nodes: 3, guests: 30 },
  { nodes: 20, guests: 1000 },
  { nodes: 100, guests: 10_000 },
] as const;

export const LATENCY_MS = 20;

interface Way {
  readonly name: string;
  /** A fresh client (new TLS connection) for every refresh instead of a warm pool. */
  readonly cold?: boolean;
  readonly refresh: (client: PveClient) => Promise<unknown>;
}

const WAYS: readonly Way[] = [
  { name: 'resources once (extension)', refresh: (client) => client.resources() },
  {
    // What the periodic refresh pays: pooled sockets idle out after 3 s, the interval is 10 s.
    name: 'resources once, new connection',
    cold: true,
    refresh: (client) => client.resources(),
  },
  {
    name: 'per node, sequential',
    refresh: async (client) => {
      const out: unknown[] = [];
      for (const node of await client.nodes()) {
        if (node.status !== 'online') continue;
        out.push(await client.guestList(node.node, 'qemu'), await client.guestList(node.node, 'lxc'));
      }
      return out;
    },
  },
  {
    name: 'per node, parallel (4 connections)',
    refresh: async (client) => {
      const nodes = (await client.nodes()).filter((n) => n.status === 'online');
      return Promise.all(nodes.flatMap((n) => [client.guestList(n.node, 'qemu'), client.guestList(n.node, 'lxc')]));
    },
  },
];

export async function refreshScenarios(control: SimControl, recorder: Recorder, runs: number): Promise<void> {
  for (const size of REFRESH_SIZES) {
    const name = `refresh-${size.nodes}`;
    const sim = await control.call('start', { name, cluster: { kind: 'big', ...size }, latencyMs: LATENCY_MS });
    const scenario = `refresh ${size.nodes} nodes / ${size.guests} guests, ${LATENCY_MS} ms latency`;
    const warm = benchClient(sim);
    const wall = new Map<string, number[]>();
    const requests = new Map<string, number[]>();
    try {
      // One unrecorded round opens the pool's connections.
      for (const way of WAYS) if (!way.cold) await way.refresh(warm.client);
      // Interleaved, so drift on a shared machine hits every way alike.
      for (let run = 0; run < runs; run++) {
        for (const way of WAYS) {
          let client: BenchClient = warm;
          if (way.cold) client = benchClient(sim);
          await control.call('takeRequests', { name });
          const started = performance.now();
          await way.refresh(client.client);
          const ms = performance.now() - started;
          const seen = await control.call('takeRequests', { name });
          if (way.cold) await client.close();
          push(wall, way.name, ms);
          push(requests, way.name, seen.length);
        }
      }
      if (warm.issues.length > 0) throw new Error(`schema issues: ${JSON.stringify(warm.issues.slice(0, 3))}`);
    } finally {
      await warm.close();
      await control.call('stop', { name });
    }
    for (const way of WAYS) {
      const isOurs = way.name.startsWith('resources');
      recorder.add({ scenario, metric: `${way.name}: requests`, unit: 'requests', samples: requests.get(way.name) ?? [], ...(isOurs ? { goal: { op: '==', value: 1 } } : {}) });
      recorder.add({ scenario, metric: `${way.name}: wall time`, unit: 'ms', samples: wall.get(way.name) ?? [] });
    }
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}
