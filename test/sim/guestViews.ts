// How guests look in the API: /nodes/{node}/qemu|lxc items and status/current (qemu-server
// QemuServer::vmstatus, pve-container LXC::vmstatus; NOTES.md §8) and /cluster/resources entries
// (API2Tools::extract_vm_stats; NOTES.md §7). 0/1 integers for booleans, optional keys only when set.
import { configDigest, guestName, isTemplate } from './guestConfig';
import type { GuestConfig, SimGuest } from './model';
import type { ClusterState } from './state';
import { guestStats } from './stats';

function pressure(guest: SimGuest, row: Record<string, unknown>): void {
  const p = (guest.seed % 97) / 100;
  row.pressurecpusome = Number((p * 0.3).toFixed(2));
  row.pressurecpufull = 0;
  row.pressureiosome = Number((p * 0.1).toFixed(2));
  row.pressureiofull = 0;
  row.pressurememorysome = 0;
  row.pressurememoryfull = 0;
}

/** One item of GET /nodes/{node}/qemu (`full` adds what status/current shows). */
export function qemuListItem(state: ClusterState, guest: SimGuest, nowMs: number, full: boolean): Record<string, unknown> {
  const node = state.node(guest.node);
  const s = guestStats(guest, node, nowMs);
  const c = guest.config;
  const row: Record<string, unknown> = {
    vmid: guest.vmid,
    status: guest.running ? 'running' : 'stopped',
    name: guestName(guest),
    cpus: s.cpus,
    maxmem: s.maxmem,
    maxdisk: s.maxdisk,
    disk: 0,
    uptime: s.uptime,
    cpu: s.cpu,
    mem: s.mem,
    memhost: s.memhost,
    netin: s.netin,
    netout: s.netout,
  };
  if (guest.running) row.pid = guest.pid;
  if (c.balloon !== undefined && Number(c.balloon) > 0) {
    row.balloon_min = Number(c.balloon) * 1024 * 1024;
    row.shares = Number(c.shares ?? 1000);
  }
  if (isTemplate(c)) row.template = 1;
  if (Object.keys(c).some((k) => /^serial\d$/.test(k))) row.serial = 1;
  if (c.lock !== undefined) row.lock = c.lock;
  if (c.tags !== undefined) row.tags = c.tags;
  if (guest.running) pressure(guest, row);
  if (full) {
    row.qmpstatus = guest.running ? guest.qmpstatus : 'stopped';
    if (guest.running) {
      row.diskread = s.diskread;
      row.diskwrite = s.diskwrite;
      row['running-machine'] = 'pc-i440fx-9.2+pve1';
      row['running-qemu'] = '9.2.0';
      row.balloon = s.maxmem;
      row.freemem = s.maxmem - s.mem;
      row.ballooninfo = { actual: s.maxmem, max_mem: s.maxmem, total_mem: s.maxmem, free_mem: s.maxmem - s.mem };
      // Real QMP data keeps JSON true here (see recorded go-proxmox-qemu-status-current.json).
      row['proxmox-support'] = { 'pbs-library-version': '1.5.2 (UNKNOWN)', 'pbs-dirty-bitmap': true, 'query-bitmap-info': true, 'pbs-masterkey': true, 'backup-max-workers': true };
      row.nics = { [`tap${guest.vmid}i0`]: { netin: s.netin, netout: s.netout } };
    }
  }
  return row;
}

/** One item of GET /nodes/{node}/lxc (and the base of LXC status/current). */
export function lxcListItem(state: ClusterState, guest: SimGuest, nowMs: number): Record<string, unknown> {
  const node = state.node(guest.node);
  const s = guestStats(guest, node, nowMs);
  const c = guest.config;
  const row: Record<string, unknown> = {
    vmid: guest.vmid,
    type: 'lxc',
    status: guest.running ? 'running' : 'stopped',
    name: guestName(guest),
    cpus: s.cpus,
    disk: s.disk,
    maxdisk: s.maxdisk,
    mem: s.mem,
    swap: s.swap,
    maxmem: s.maxmem,
    maxswap: s.maxswap,
    uptime: s.uptime,
    cpu: s.cpu,
    netout: s.netout,
    netin: s.netin,
    diskread: s.diskread,
    diskwrite: s.diskwrite,
  };
  if (guest.running) row.pid = guest.pid;
  if (c.tags !== undefined) row.tags = c.tags;
  if (isTemplate(c)) row.template = 1;
  if (c.lock !== undefined) row.lock = c.lock;
  if (guest.running) pressure(guest, row);
  return row;
}

/** PVE::HA::Config::get_service_status. */
export function haStatus(state: ClusterState, guest: SimGuest): Record<string, unknown> {
  const res = state.ha.get(`${guest.type === 'qemu' ? 'vm' : 'ct'}:${guest.vmid}`);
  return res ? { managed: 1, state: res.managerState } : { managed: 0 };
}

/** GET …/{vmid}/status/current. */
export function guestStatusCurrent(state: ClusterState, guest: SimGuest, nowMs: number): Record<string, unknown> {
  if (guest.type === 'lxc') return { ...lxcListItem(state, guest, nowMs), ha: haStatus(state, guest) };
  const row = qemuListItem(state, guest, nowMs, true);
  row.ha = haStatus(state, guest);
  const agent = guest.config.agent;
  if (agent !== undefined && /^(1|enabled=1)/.test(String(agent))) row.agent = 1;
  return row;
}

/** GET …/{vmid}/config: the config plus `digest` (no `snapshots`, `pending`). */
export function guestConfigView(guest: SimGuest): GuestConfig {
  return { ...guest.config, digest: configDigest(guest) };
}

/** /cluster/resources entry for a guest (status from the RRD feed: the QMP state for QEMU). */
export function resourceEntry(state: ClusterState, guest: SimGuest, nowMs: number): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: `${guest.type}/${guest.vmid}`,
    vmid: guest.vmid,
    node: guest.node,
    type: guest.type,
    status: 'unknown',
  };
  const node = state.node(guest.node);
  if (node?.online) {
    const s = guestStats(guest, node, nowMs);
    entry.uptime = s.uptime;
    entry.name = guestName(guest);
    entry.status = guest.running ? (guest.type === 'qemu' ? guest.qmpstatus : 'running') : 'stopped';
    entry.template = isTemplate(guest.config) ? 1 : 0;
    entry.maxcpu = s.cpus;
    entry.cpu = s.cpu;
    entry.maxmem = s.maxmem;
    entry.mem = s.mem;
    entry.maxdisk = s.maxdisk;
    entry.disk = s.disk;
    entry.netin = s.netin;
    entry.netout = s.netout;
    entry.diskread = guest.running ? s.diskread : 0;
    entry.diskwrite = guest.running ? s.diskwrite : 0;
    if (guest.type === 'qemu') entry.memhost = s.memhost;
  }
  return entry;
}
