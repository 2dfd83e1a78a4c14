import * as z from 'zod/mini';
import { bool01, nodeName, num, text, usageFields as usage, vmid } from './primitives';
import { canonicalGuest } from './canonicalGuest';
import { parseList, type IssueSink } from './parse';

/** `/cluster/resources` items (NOTES.md §7). Unknown fields are kept, unknown types dropped. */

export const guestResourceSchema = z.looseObject({
  id: z.string(),
  type: z.enum(['qemu', 'lxc']),
  vmid,
  node: nodeName,
  status: z.string(),
  name: z.optional(text),
  template: z.optional(bool01),
  ...usage,
  memhost: z.optional(num),
  netin: z.optional(num),
  netout: z.optional(num),
  diskread: z.optional(num),
  diskwrite: z.optional(num),
  pool: z.optional(text),
  lock: z.optional(z.string()),
  tags: z.optional(text),
  hastate: z.optional(z.string()),
});
export type GuestResource = z.output<typeof guestResourceSchema>;

export const nodeResourceSchema = z.looseObject({
  id: z.string(),
  type: z.literal('node'),
  node: nodeName,
  status: z.string(),
  level: z.optional(z.string()),
  hastate: z.optional(z.string()),
  ...usage,
});
export type NodeResource = z.output<typeof nodeResourceSchema>;

export const storageResourceSchema = z.looseObject({
  id: z.string(),
  type: z.literal('storage'),
  storage: z.string(),
  node: nodeName,
  status: z.string(),
  plugintype: z.optional(z.string()),
  shared: z.optional(bool01),
  content: z.optional(z.string()),
  disk: z.optional(num),
  maxdisk: z.optional(num),
});
export type StorageResource = z.output<typeof storageResourceSchema>;

export const poolResourceSchema = z.looseObject({
  id: z.string(),
  type: z.literal('pool'),
  pool: text,
});
export type PoolResource = z.output<typeof poolResourceSchema>;

export interface ClusterResources {
  readonly guests: GuestResource[];
  readonly nodes: NodeResource[];
  readonly storages: StorageResource[];
  readonly pools: PoolResource[];
}

const SCHEMAS = {
  qemu: guestResourceSchema,
  lxc: guestResourceSchema,
  node: nodeResourceSchema,
  storage: storageResourceSchema,
  pool: poolResourceSchema,
} as const;

// Types we know and deliberately ignore (SDN zones, PVE 9 networks): not worth a report.
const IGNORED = new Set(['sdn', 'network']);

export function parseClusterResources(data: unknown, sink?: IssueSink): ClusterResources {
  const out: ClusterResources = { guests: [], nodes: [], storages: [], pools: [] };
  // A non-list answer fails the call as in parseList; the items are not run through a generic
  // schema first: that copy of every item cost a third of the parse time at 10,000 guests
  // (bench/node/parse.ts), and each item is parsed by its type's schema below anyway.
  const list: unknown[] = Array.isArray(data) ? data : parseList(z.unknown(), data, '/cluster/resources', sink);
  list.forEach((entry, index) => {
    const type = typeof entry === 'object' && entry !== null ? (entry as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') {
      sink?.({ endpoint: '/cluster/resources', index, problem: 'malformedItem', detail: 'type: expected a string' });
      return;
    }
    if (!Object.hasOwn(SCHEMAS, type)) {
      if (!IGNORED.has(type)) sink?.({ endpoint: '/cluster/resources', index, problem: 'unknownType', detail: `type "${type}"` });
      return;
    }
    if (type === 'qemu' || type === 'lxc') {
      const fast = canonicalGuest(entry as Record<string, unknown>);
      if (fast) {
        out.guests.push(fast);
        return;
      }
    }
    const schema = SCHEMAS[type as keyof typeof SCHEMAS];
    const result = z.safeParse(schema, entry);
    if (!result.success) {
      const detail = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      sink?.({ endpoint: '/cluster/resources', index, problem: 'malformedItem', detail });
      return;
    }
    const item = result.data;
    switch (item.type) {
      case 'qemu':
      case 'lxc':
        out.guests.push(item);
        break;
      case 'node':
        out.nodes.push(item);
        break;
      case 'storage':
        out.storages.push(item);
        break;
      case 'pool':
        out.pools.push(item);
        break;
    }
  });
  return out;
}
