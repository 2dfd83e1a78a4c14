// GET /cluster/status, /cluster/resources, /cluster/tasks (pve-manager API2/Cluster.pm;
// NOTES.md §7 and §6). Resources come in PVE's order: pools, guests (vmid sorted as strings),
// nodes, storages, network; guests on an offline node are `unknown` with config props only.
import { resourceEntry } from '../guestViews';
import { splitTokenId } from '../permissions';
import { perlFloat } from '../rng';
import type { SimTask } from '../tasks';
import { strParam } from '../validate';
import { nodeEntry, runningGuestMem } from './nodes';
import type { RouteEntry, RouteRequest } from './types';

function clusterStatus({ ctx }: RouteRequest): unknown[] {
  const state = ctx.state;
  const res: Record<string, unknown>[] = [];
  if (state.clustered) {
    const online = state.nodes.filter((n) => n.online).length;
    res.push({ type: 'cluster', id: 'cluster', name: state.clusterName, nodes: state.nodes.length, quorate: online * 2 > state.nodes.length ? 1 : 0, version: state.nodes.length + 2 });
  }
  for (const n of state.nodes) {
    res.push({
      type: 'node',
      id: `node/${n.name}`,
      name: n.name,
      nodeid: n.nodeid,
      ip: n.ip,
      online: n.online ? 1 : 0,
      local: n.name === state.localNode ? 1 : 0,
      level: n.level,
    });
  }
  return res;
}

function clusterResources({ ctx, params, rpc, authid }: RouteRequest): unknown[] {
  const state = ctx.state;
  const now = ctx.clock.nowMs();
  const type = strParam(params, 'type');
  const res: Record<string, unknown>[] = [];
  const pooldata = new Map<string, Record<string, unknown>>();
  if (type === undefined) {
    for (const pool of [...state.pools.keys()].sort()) {
      if (!rpc.check(authid, `/pool/${pool}`, ['Pool.Audit'], true)) continue;
      const entry: Record<string, unknown> = { id: `/pool/${pool}`, pool, type: 'pool' };
      pooldata.set(pool, entry);
      res.push(entry);
    }
  }
  if (type === undefined || type === 'vm') {
    const vmids = [...state.guests.keys()].map(String).sort();
    for (const id of vmids) {
      const guest = state.guests.get(Number(id));
      if (!guest) continue;
      const entry = resourceEntry(state, guest, now);
      if (guest.pool !== undefined) {
        entry.pool = guest.pool;
        const pe = pooldata.get(guest.pool);
        const uptime = Number(entry.uptime ?? 0);
        if (pe && uptime > 0) {
          const num = (k: string): number => Number(pe[k] ?? 0);
          if (!pe.uptime || uptime > num('uptime')) pe.uptime = uptime;
          pe.mem = num('mem') + Number(entry.mem);
          pe.maxmem = num('maxmem') + Number(entry.maxmem);
          const maxcpu = num('maxcpu');
          pe.cpu = perlFloat((num('cpu') * maxcpu + Number(entry.cpu) * Number(entry.maxcpu)) / (maxcpu + Number(entry.maxcpu)));
          pe.maxcpu = maxcpu + Number(entry.maxcpu);
        }
      }
      if (!rpc.check(authid, `/vms/${guest.vmid}`, ['VM.Audit'], true)) continue;
      for (const prop of ['lock', 'tags']) {
        const v = guest.config[prop];
        if (v !== undefined) entry[prop] = v;
      }
      if (guest.pool !== undefined && !rpc.check(authid, `/pool/${guest.pool}`, ['Pool.Audit'], true)) delete entry.pool;
      const ha = state.ha.get(`${guest.type === 'qemu' ? 'vm' : 'ct'}:${guest.vmid}`);
      if (ha) entry.hastate = ha.managerState;
      res.push(entry);
    }
  }
  if (type === undefined || type === 'node') {
    const mem = runningGuestMem(state, now);
    for (const n of state.nodes) {
      const entry = nodeEntry(n, mem, now, rpc.check(authid, `/nodes/${n.name}`, ['Sys.Audit'], true));
      entry['cgroup-mode'] = 2;
      res.push(entry);
    }
  }
  if (type === undefined || type === 'storage') {
    for (const s of state.storages) {
      if (!rpc.check(authid, `/storage/${s.storage}`, ['Datastore.Audit'], true)) continue;
      for (const n of state.nodes) {
        if (s.disable || (s.nodes && !s.nodes.includes(n.name))) continue;
        const entry: Record<string, unknown> = {
          id: `storage/${n.name}/${s.storage}`,
          storage: s.storage,
          node: n.name,
          type: 'storage',
          plugintype: s.type,
          status: 'unknown',
          shared: s.shared ? 1 : 0,
          content: s.content,
        };
        if (n.online) {
          entry.maxdisk = s.totalBytes;
          entry.disk = Math.floor(s.totalBytes * s.usedFraction);
          entry.status = 'available';
        }
        res.push(entry);
      }
    }
  }
  if (type === undefined && rpc.check(authid, '/sdn/zones/localnetwork', ['SDN.Audit'], true)) {
    for (const n of state.nodes) {
      res.push({ id: `network/${n.name}/zone/localnetwork`, type: 'network', 'network-type': 'zone', network: 'localnetwork', node: n.name, status: 'ok' });
    }
  }
  for (const item of state.extraResources) if (type === undefined || item.type === type) res.push(item);
  return res;
}

/** One entry of the pmxcfs task list (active_workers: pstart dropped, pid only while running). */
function clusterTaskEntry(t: SimTask): Record<string, unknown> {
  const entry: Record<string, unknown> = { upid: t.upid, node: t.node, starttime: t.starttime, type: t.type, id: t.id, user: t.user };
  if (t.status === 'running') {
    entry.pid = t.pid;
    entry.saved = '0';
  } else {
    entry.saved = '1';
    entry.endtime = t.endtime;
    entry.status = t.exitstatus;
  }
  const token = splitTokenId(t.user);
  if (token) {
    entry.user = token[0];
    entry.tokenid = token[1];
  }
  return entry;
}

function clusterTasks({ ctx, rpc, authid }: RouteRequest): unknown[] {
  const all = rpc.check(authid, '/', ['Sys.Audit'], true);
  const res: Record<string, unknown>[] = [];
  for (const n of ctx.state.nodes) {
    const tasks = ctx.tasks.tasksOf(n.name);
    const running = tasks.filter((t) => t.status === 'running');
    const finished = tasks.filter((t) => t.status === 'stopped').sort((a, b) => b.starttime - a.starttime);
    const list = [...running, ...finished.slice(0, Math.max(0, 25 - running.length))];
    for (const t of list) {
      const entry = clusterTaskEntry(t);
      // Sic: compares the split user with the auth id, so a token without Sys.Audit on / sees none.
      if (all || entry.user === authid) res.push(entry);
    }
  }
  return res;
}

export const clusterRoutes: readonly RouteEntry[] = [
  ['GET', '/cluster/status', clusterStatus],
  ['GET', '/cluster/resources', clusterResources],
  ['GET', '/cluster/tasks', clusterTasks],
];
