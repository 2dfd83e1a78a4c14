import * as z from 'zod/mini';
import { bool01 } from './primitives';
import { parseObject, type IssueSink } from './parse';

/** `/access/permissions`: `{ "<acl path>": { "<Priv>": 0|1 } }`, 1 = propagates (NOTES.md §5). */
export type Permissions = Readonly<Record<string, Readonly<Record<string, boolean>>>>;

const permissionsSchema = z.record(z.string(), z.unknown());
const privilegesSchema = z.record(z.string(), bool01);

export function parsePermissions(data: unknown, sink?: IssueSink): Permissions {
  const raw = parseObject(permissionsSchema, data, '/access/permissions', sink);
  const out: Record<string, Record<string, boolean>> = {};
  for (const [path, value] of Object.entries(raw)) {
    const result = z.safeParse(privilegesSchema, value);
    if (result.success) out[path] = result.data;
    else sink?.({ endpoint: '/access/permissions', problem: 'malformedItem', detail: `path ${path}` });
  }
  return out;
}
