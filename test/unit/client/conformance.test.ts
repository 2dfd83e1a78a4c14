import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GuestAction } from '../../../src/api/client';
import { waitForTask } from '../../../src/api/taskWaiter';
import type { Simulator } from '../../sim/simulator';
import { startTestSim } from '../sim/helpers';
import { clientFor, type Harness } from './clientHarness';

/**
 * Conformance both ways: every call of the client is made against the simulator, every answer
 * must parse with the client's schemas without dropping an item, and every request the client
 * sends must satisfy the PVE schema's parameter rules (schema-subset.json).
 */
interface SchemaEntry {
  path: string;
  method: string;
  schema: { parameters?: { properties?: Record<string, { type?: string; optional?: number; enum?: string[]; pattern?: string }> } };
}

const schema = JSON.parse(readFileSync(join(__dirname, '../../../../test/sim/schema-subset.json'), 'utf8')) as { endpoints: SchemaEntry[] };

function endpointFor(method: string, apiPath: string): SchemaEntry | undefined {
  const parts = apiPath.split('/').slice(1);
  return schema.endpoints.find((e) => {
    if (e.method !== method) return false;
    const t = e.path.split('/').slice(1);
    return t.length === parts.length && t.every((seg, i) => seg === parts[i] || seg.startsWith('{'));
  });
}

function violations(method: string, apiPath: string, params: Readonly<Record<string, unknown>>): string[] {
  const entry = endpointFor(method, apiPath);
  if (!entry) return [`${method} ${apiPath} is not in the schema`];
  const props = entry.schema.parameters?.properties ?? {};
  const placeholders = new Set([...entry.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const out: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    const prop = props[name];
    if (!prop) {
      out.push(`${method} ${entry.path}: unknown parameter ${name}`);
      continue;
    }
    const text = String(value);
    if (prop.type === 'boolean' && text !== '0' && text !== '1') out.push(`${name}: boolean sent as ${text}`);
    if (prop.type === 'integer' && !/^-?\d+$/.test(text)) out.push(`${name}: integer sent as ${text}`);
    if (prop.enum && !prop.enum.includes(text)) out.push(`${name}: ${text} not in enum`);
  }
  for (const [name, prop] of Object.entries(props)) {
    if (!prop.optional && !placeholders.has(name) && !(name in params)) out.push(`${method} ${entry.path}: required ${name} missing`);
  }
  return out;
}

describe('client ↔ simulator conformance', () => {
  let sim: Simulator;
  let h: Harness;
  before(async () => {
    sim = await startTestSim({ taskDurationMs: 20 });
    h = clientFor(sim);
  });
  after(async () => {
    await h.close();
    await sim.close();
  });

  it('every domain call parses cleanly and sends only what the schema allows', async () => {
    const c = h.client;
    await c.version();
    await c.nodes();
    await c.nodeStatus('pve1');
    await c.clusterStatus();
    const resources = await c.resources();
    assert.equal(resources.guests.length, sim.state.guests.size);
    for (const node of ['pve1', 'pve2']) {
      await c.guestList(node, 'qemu');
      await c.guestList(node, 'lxc');
      await c.nodeStorage(node);
      await c.nodeTasks(node, { limit: 10, errors: true, source: 'all' });
    }
    await c.storageConfig();
    await c.permissions();
    await c.clusterTasks();
    for (const g of resources.guests.filter((x) => x.status !== 'unknown')) {
      const ref = { node: g.node, type: g.type, vmid: g.vmid };
      await c.guestStatus(ref);
      await c.guestConfig(ref);
      const snaps = await c.snapshots(ref);
      for (const s of snaps.filter((x) => x.name !== 'current')) await c.snapshotConfig(ref, s.name);
    }
    assert.equal((await c.storageStatus('pve1', 'local'))?.storage, 'local');
    // Actions, in an order the demo cluster's states allow.
    const actions: [number, 'qemu' | 'lxc', GuestAction][] = [
      [103, 'qemu', 'start'], [103, 'qemu', 'suspend'], [103, 'qemu', 'resume'], [103, 'qemu', 'reboot'], [103, 'qemu', 'reset'],
      [103, 'qemu', 'hibernate'], [103, 'qemu', 'resume'], [103, 'qemu', 'shutdown'], [107, 'lxc', 'start'], [107, 'lxc', 'stop'],
    ];
    for (const [vmid, type, action] of actions) {
      const entry = resources.guests.find((g) => g.vmid === vmid)!;
      await waitForTask(c, await c.guestAction({ node: entry.node, type, vmid }, action));
    }
    const vm = { node: 'pve2', type: 'qemu', vmid: 103 } as const;
    await waitForTask(c, await c.createSnapshot(vm, { name: 'conf', description: 'x' }));
    await c.updateSnapshotDescription(vm, 'conf', 'y');
    await waitForTask(c, await c.rollbackSnapshot(vm, 'conf', { start: true }));
    const upid = await c.guestAction(vm, 'shutdown');
    const done = await waitForTask(c, upid);
    await c.taskLog(done.upid, { start: 0, limit: 50 });
    await waitForTask(c, await c.deleteSnapshot(vm, 'conf'));
    await c.getUserPath('/cluster/resources', { type: 'vm' });

    assert.deepEqual(h.issues, [], 'every answer parsed without dropping or rejecting anything');
    const problems = sim.requests.flatMap((r) => (r.apiPath ? violations(r.method, r.apiPath, r.method === 'GET' || r.method === 'DELETE' ? r.query : r.params) : [`${r.path} outside /api2/json`]));
    assert.deepEqual(problems, []);
    assert.ok(sim.requests.every((r) => (r.status ?? 0) < 400), JSON.stringify(sim.requests.filter((r) => (r.status ?? 0) >= 400).map((r) => [r.method, r.apiPath, r.status])));
    assert.ok(sim.requests.length > 60);
  });
});
