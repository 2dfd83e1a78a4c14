// GET /storage (the storage.cfg list) and GET /nodes/{node}/storage (runtime status on a node)
// (pve-storage API2/Storage/Config.pm and Status.pm; NOTES.md §11; shapes checked against
// recorded/community-proxmox-storage.json and home-assistant-nodes-storage.json).
import { paramError } from '../errors';
import type { SimStorage } from '../model';
import { hashOrder, perlFloat } from '../rng';
import { boolParam, splitList, strParam } from '../validate';
import type { RouteEntry, RouteRequest } from './types';

const PRIVS = ['Datastore.Audit', 'Datastore.AllocateSpace'];

function configEntry(s: SimStorage): Record<string, unknown> {
  const entry: Record<string, unknown> = { storage: s.storage, type: s.type, content: s.content, digest: s.digest, ...s.extra };
  if (s.shared) entry.shared = 1;
  if (s.nodes) entry.nodes = s.nodes.join(',');
  if (s.disable) entry.disable = 1;
  return entry;
}

function storageIndex(req: RouteRequest): unknown[] {
  const type = strParam(req.params, 'type');
  return req.ctx.state.storages
    .filter((s) => req.rpc.checkAny(req.authid, `/storage/${s.storage}`, PRIVS, true))
    .filter((s) => type === undefined || s.type === type)
    .map(configEntry);
}

function nodeStorage(req: RouteRequest): unknown[] {
  const state = req.ctx.state;
  const node = req.caller.node;
  let target = strParam(req.params, 'target');
  if (target === node || target === 'localhost') target = undefined;
  const wanted = strParam(req.params, 'content');
  const ctypes = wanted !== undefined ? splitList(wanted) : [];
  const info = state.storagesOn(node).filter((s) => ctypes.length === 0 || ctypes.some((c) => s.content.split(',').includes(c)));
  const only = strParam(req.params, 'storage');
  if (only !== undefined && !info.some((s) => s.storage === only)) throw paramError({ storage: 'No such storage.' });
  const res: Record<string, unknown>[] = [];
  for (const s of info) {
    if (!req.rpc.checkAny(req.authid, `/storage/${s.storage}`, PRIVS, true)) continue;
    if (only !== undefined && only !== s.storage) continue;
    if (boolParam(req.params, 'enabled') && s.disable) continue;
    if (target !== undefined && (!s.shared || (s.nodes && !s.nodes.includes(target)))) continue;
    const active = !s.disable;
    const total = active ? s.totalBytes : 0;
    const used = active ? Math.floor(s.totalBytes * s.usedFraction) : 0;
    const row: Record<string, unknown> = {
      storage: s.storage,
      type: s.type,
      content: s.content,
      active: active ? 1 : 0,
      enabled: s.disable ? 0 : 1,
      shared: s.shared ? 1 : 0,
      total,
      used,
      avail: total - used,
    };
    if (total > 0) row.used_fraction = perlFloat(used / total);
    res.push(row);
  }
  return hashOrder(res, (r) => String(r.storage), state.seed);
}

export const storageRoutes: readonly RouteEntry[] = [
  ['GET', '/storage', storageIndex],
  ['GET', '/nodes/{node}/storage', nodeStorage],
];
