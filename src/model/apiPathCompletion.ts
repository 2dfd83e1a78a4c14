import { GET_PATHS, type ApiGetPath } from '../api/generated/getPaths';
import { isValidNodeName, isValidVmid } from '../api/paths';

/** Live values that fill `{node}`, `{vmid}`, `{storage}` in the path templates. */
export interface CompletionValues {
  readonly nodes: readonly string[];
  readonly guests: readonly { readonly node: string; readonly type: 'qemu' | 'lxc'; readonly vmid: number }[];
  readonly storages: readonly { readonly node: string; readonly storage: string }[];
}

export interface PathCandidate {
  /** A path to offer, e.g. `/nodes/pve1/qemu`. */
  readonly path: string;
  /** An endpoint of the index (can be opened) rather than only a step towards one. */
  readonly isEndpoint: boolean;
  readonly description: string;
}

/**
 * Step-by-step completion of "Get API Path…": from what is typed so far, the possible next
 * segments (literal, or a placeholder filled with live values), and the endpoints reached.
 */
export function completePath(typed: string, values: CompletionValues, index: readonly ApiGetPath[] = GET_PATHS): PathCandidate[] {
  const text = typed.trim().startsWith('/') ? typed.trim() : `/${typed.trim()}`;
  const parts = text.split('/').slice(1);
  const done = parts.slice(0, -1);
  const out = new Map<string, PathCandidate>();
  for (const endpoint of index) {
    const template = endpoint.path.split('/').slice(1);
    if (template.length <= done.length) continue;
    const bound = bind(template, done);
    if (!bound) continue;
    const next = template[done.length];
    if (next === undefined) continue;
    const prefix = done.length === 0 ? '' : `/${done.join('/')}`;
    for (const value of expand(next, template, done, values)) {
      const path = `${prefix}/${value}`;
      const isEndpoint = template.length === done.length + 1;
      const existing = out.get(path);
      if (!existing || (isEndpoint && !existing.isEndpoint)) out.set(path, { path, isEndpoint, description: isEndpoint ? endpoint.description : existing?.description ?? '' });
    }
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
}

/** Whether the typed complete segments fit the template, placeholders checked against live data. */
function bind(template: readonly string[], done: readonly string[]): boolean {
  for (let i = 0; i < done.length; i++) {
    const t = template[i];
    const d = done[i];
    if (t === undefined || d === undefined) return false;
    if (t === d) continue;
    if (!t.startsWith('{')) return false;
    if (t === '{node}' && !isValidNodeName(d)) return false;
    if (t === '{vmid}' && !isValidVmid(d)) return false;
  }
  return true;
}

function expand(segment: string, template: readonly string[], done: readonly string[], values: CompletionValues): string[] {
  if (!segment.startsWith('{')) return [segment];
  const node = template.indexOf('{node}') >= 0 ? done[template.indexOf('{node}')] : undefined;
  switch (segment) {
    case '{node}':
      return [...values.nodes];
    case '{vmid}': {
      const type = template[template.indexOf('{vmid}') - 1];
      return values.guests.filter((g) => g.node === node && g.type === type).map((g) => String(g.vmid));
    }
    case '{storage}':
      return values.storages.filter((s) => s.node === node).map((s) => s.storage);
    default:
      return []; // {snapname}, {upid}: offered from the live directory listing instead
  }
}

/** The template an exact path answers to, for its optional parameters. */
export function findEndpoint(path: string, index: readonly ApiGetPath[] = GET_PATHS): ApiGetPath | undefined {
  const parts = path.split('/').slice(1);
  return index.find((e) => {
    const t = e.path.split('/').slice(1);
    return t.length === parts.length && t.every((seg, i) => seg === parts[i] || (seg.startsWith('{') && (parts[i] ?? '') !== ''));
  });
}

/**
 * Names in a PVE directory index answer (`[{subdir:"status"},{cmd:"rollback"}]`), for live
 * completion. Only small objects count: a data list such as `/cluster/resources` is not a directory.
 */
export function directoryEntries(data: unknown): string[] {
  if (!Array.isArray(data)) return [];
  const keys = ['subdir', 'name', 'node', 'vmid', 'storage', 'cmd', 'id'];
  const names = new Set<string>();
  const isIndexItem = (item: unknown): boolean => typeof item === 'object' && item !== null && Object.keys(item).length <= 3;
  if (!data.every(isIndexItem)) return [];
  for (const item of data.slice(0, 500)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const key of keys) {
      const value = (item as Record<string, unknown>)[key];
      if (typeof value === 'string' || typeof value === 'number') {
        names.add(String(value));
        break;
      }
    }
  }
  return [...names];
}
