import { isValidNodeName } from '../paths';
import type { GuestResource } from './resources';

/**
 * A fast path for the common case of `/cluster/resources`: a guest item already in canonical
 * form (numbers as numbers, 0/1 flags, strings as strings) is accepted without zod, which costs
 * ~9 µs per item (docs/benchmarks.md). Anything else returns undefined and goes through the
 * schema, so the rules are the schema's; the property tests check that every kept item re-validates.
 */
const NUMBER_FIELDS = ['uptime', 'cpu', 'maxcpu', 'mem', 'maxmem', 'disk', 'maxdisk', 'memhost', 'netin', 'netout', 'diskread', 'diskwrite'] as const;
const STRING_FIELDS = ['name', 'pool', 'lock', 'tags', 'hastate'] as const;

export function canonicalGuest(entry: Readonly<Record<string, unknown>>): GuestResource | undefined {
  const { id, type, vmid, node, status, template } = entry;
  if (typeof id !== 'string' || (type !== 'qemu' && type !== 'lxc') || typeof status !== 'string') return undefined;
  if (typeof vmid !== 'number' || !Number.isInteger(vmid) || vmid < 100 || vmid > 999_999_999) return undefined;
  if (typeof node !== 'string' || !isValidNodeName(node)) return undefined;
  for (const field of NUMBER_FIELDS) {
    const value = entry[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return undefined;
  }
  for (const field of STRING_FIELDS) {
    const value = entry[field];
    if (value !== undefined && typeof value !== 'string') return undefined;
  }
  if (template !== undefined && template !== 0 && template !== 1) return undefined;
  // A copy, as zod's looseObject makes one: callers may hold on to the answer they passed in.
  const copy = { ...entry } as Record<string, unknown>;
  if (template !== undefined) copy.template = template === 1;
  return copy as unknown as GuestResource;
}
