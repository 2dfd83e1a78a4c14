// A large generated cluster for benchmarks and scale tests (e.g. 100 nodes, 10,000 guests), with
// the demo cluster's users, tokens and storages so the same credentials work.
import { demoCluster, lxcConfig, qemuConfig } from './demoCluster';
import type { ClusterSpec, GuestSpec, NodeSpec } from './model';
import { createRng } from './rng';

export interface BigClusterOptions {
  readonly nodes: number;
  readonly guests: number;
  readonly seed?: number;
  /** Fraction of guests that run (default 0.7). */
  readonly runningFraction?: number;
  readonly offlineNodes?: readonly string[];
}

export function bigNodeName(i: number, total: number): string {
  return `pve${String(i + 1).padStart(Math.max(2, String(total).length), '0')}`;
}

export function bigCluster(opts: BigClusterOptions): ClusterSpec {
  const seed = opts.seed ?? 7;
  const rng = createRng(seed);
  const offline = new Set(opts.offlineNodes ?? []);
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < opts.nodes; i++) {
    const name = bigNodeName(i, opts.nodes);
    nodes.push({ name, maxcpu: [8, 16, 32, 64][i % 4] ?? 16, maxmem: (64 + (i % 4) * 64) * 1024 ** 3, online: i === 0 || !offline.has(name) });
  }
  const tags = ['prod', 'dev', 'web', 'db', 'ci', 'infra', 'k8s'];
  const guests: GuestSpec[] = [];
  for (let i = 0; i < opts.guests; i++) {
    const vmid = 1000 + i;
    const node = nodes[i % nodes.length]?.name ?? 'pve01';
    const running = rng() < (opts.runningFraction ?? 0.7);
    const tag = tags[Math.floor(rng() * tags.length)] ?? 'prod';
    const isQemu = rng() < 0.65;
    guests.push(
      isQemu
        ? { vmid, type: 'qemu', node, status: running ? 'running' : 'stopped', config: qemuConfig(vmid, { name: `vm-${vmid}`, cores: 1 + Math.floor(rng() * 4), memory: 1024 * (1 + Math.floor(rng() * 8)), extra: { tags: tag } }) }
        : { vmid, type: 'lxc', node, status: running ? 'running' : 'stopped', config: lxcConfig(vmid, { hostname: `ct-${vmid}`, extra: { tags: tag } }) },
    );
  }
  const demo = demoCluster();
  return { ...demo, clusterName: 'big', seed, nodes, guests, pools: [], taskHistory: [] };
}
