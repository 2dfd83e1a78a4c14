// Client-side cost of a 10,000-guest /cluster/resources answer in plain Node: gunzip + JSON.parse,
// schema parsing (zod), the index the tree reads from, and the heap that index keeps. The tree
// items themselves need VS Code: bench/host/scale.bench.ts adds that part in the extension host.
// Also: the guest filter over the same 10,000 entries.
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { parseClusterResources } from '../../src/api/schemas/resources';
import { indexResources, type ClusterIndex, type GuestEntry } from '../../src/model/clusterIndex';
import { EMPTY_FILTER, matchesFilter, type GuestFilter } from '../../src/model/guestFilter';
import { collectGarbage, heapUsedMb } from '../lib/heap';
import type { Recorder } from '../lib/measure';
import type { StartedSim } from '../sim/protocol';
import type { SimControl } from '../sim/simControl';

export const SCALE = { nodes: 100, guests: 10_000 } as const;

/** The raw answer as the transport receives it (gzip, as pveproxy sends bodies above 1 KiB). */
export function fetchRaw(sim: StartedSim, apiPath: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}/api2/json${apiPath}`, {
      ca: sim.certificatePem,
      headers: { authorization: `PVEAPIToken=${sim.tokenId}=${sim.secret}`, 'accept-encoding': 'gzip' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => { resolve(Buffer.concat(chunks)); });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(body: Buffer): unknown {
  const text = (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8');
  return (JSON.parse(text) as { data: unknown }).data;
}

export const FILTERS: readonly { readonly name: string; readonly filter: GuestFilter }[] = [
  { name: 'text "vm-12"', filter: { ...EMPTY_FILTER, text: 'vm-12' } },
  { name: 'VMID prefix "105"', filter: { ...EMPTY_FILTER, text: '105' } },
  { name: 'state running', filter: { ...EMPTY_FILTER, states: ['running'] } },
  { name: 'tag prod + type lxc', filter: { ...EMPTY_FILTER, tags: ['prod'], types: ['lxc'] } },
];

export async function parseScenarios(control: SimControl, recorder: Recorder, runs: number): Promise<void> {
  const name = 'parse';
  const sim = await control.call('start', { name, cluster: { kind: 'big', ...SCALE } });
  let body: Buffer;
  try {
    body = await fetchRaw(sim, '/cluster/resources');
  } finally {
    await control.call('stop', { name });
  }
  const scenario = `client CPU, ${SCALE.guests} guests (plain Node)`;
  const raw = gunzipSync(body);
  recorder.add({ scenario, metric: '/cluster/resources answer, gzip', unit: 'KB', samples: [body.length / 1024] });
  recorder.add({ scenario, metric: '/cluster/resources answer, JSON', unit: 'KB', samples: [raw.length / 1024] });

  const decodeMs: number[] = [];
  const schemaMs: number[] = [];
  const indexMs: number[] = [];
  const totalMs: number[] = [];
  const retainedMb: number[] = [];
  const peakMb: number[] = [];
  // Holds the index of the current run through its heap measurement (V8 would free an unused one).
  const held: ClusterIndex[] = [];
  // One unrecorded run: V8 compiles and optimises the code paths first, as the second refresh would find them.
  for (let run = -1; run < runs; run++) {
    held.length = 0;
    collectGarbage();
    const before = heapUsedMb();
    const t0 = performance.now();
    const data = decode(body);
    const t1 = performance.now();
    const resources = parseClusterResources(data);
    const t2 = performance.now();
    held.push(indexResources(resources));
    const t3 = performance.now();
    const peak = heapUsedMb() - before;
    collectGarbage();
    if (run < 0) continue;
    decodeMs.push(t1 - t0);
    schemaMs.push(t2 - t1);
    indexMs.push(t3 - t2);
    totalMs.push(t3 - t0);
    peakMb.push(peak);
    retainedMb.push(heapUsedMb() - before);
  }
  const index = held[0];
  if (index?.guests.size !== SCALE.guests) throw new Error(`expected ${SCALE.guests} guests, indexed ${index?.guests.size ?? 0}`);
  recorder.add({ scenario, metric: 'gunzip + JSON.parse', unit: 'ms', samples: decodeMs });
  recorder.add({ scenario, metric: 'schema parse (zod)', unit: 'ms', samples: schemaMs });
  recorder.add({ scenario, metric: 'index (nodes, guests, per node)', unit: 'ms', samples: indexMs });
  recorder.add({ scenario, metric: 'answer → index, total', unit: 'ms', samples: totalMs, note: 'the tree items are added in the extension-host scenario' });
  recorder.add({ scenario, metric: 'heap growth while parsing (no GC)', unit: 'MB', samples: peakMb });
  recorder.add({ scenario, metric: 'heap retained by the index', unit: 'MB', samples: retainedMb, goal: { op: '<', value: 30 } });

  const guests: GuestEntry[] = [...index.guests.values()];
  const filterScenario = `filter ${SCALE.guests} guests (model only, plain Node)`;
  for (const { name: filterName, filter } of FILTERS) {
    let matched = 0;
    const samples = await recorder.time(runs, () => {
      matched = 0;
      for (const guest of guests) if (matchesFilter(guest, filter)) matched++;
    }, 1);
    recorder.add({ scenario: filterScenario, metric: `${filterName} (${matched} match)`, unit: 'ms', samples, goal: { op: '<', value: 50 } });
  }
}
