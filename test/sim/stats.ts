// Plausible, deterministic runtime numbers (CPU, memory, traffic, uptime) for nodes and guests.
// Counters grow with uptime; CPU wobbles slowly with time so polling clients see change.
import { bootDiskSize, cpuCount, memoryMiB } from './guestConfig';
import type { SimGuest, SimNode } from './model';
import { createRng, hashString, perlFloat } from './rng';

export interface GuestStats {
  readonly uptime: number;
  readonly cpu: number;
  readonly cpus: number;
  readonly mem: number;
  readonly maxmem: number;
  readonly memhost: number;
  readonly disk: number;
  readonly maxdisk: number;
  readonly netin: number;
  readonly netout: number;
  readonly diskread: number;
  readonly diskwrite: number;
  readonly swap: number;
  readonly maxswap: number;
}

function wobble(seed: number, nowMs: number): number {
  return 0.5 + 0.5 * Math.sin(nowMs / 7000 + (seed % 1000));
}

export function guestStats(guest: SimGuest, node: SimNode | undefined, nowMs: number): GuestStats {
  const rng = createRng(guest.seed);
  const base = { a: rng(), b: rng(), c: rng(), d: rng() };
  const maxmem = memoryMiB(guest) * 1024 * 1024;
  const maxdisk = bootDiskSize(guest.type, guest.config);
  const cpus = cpuCount(guest, node?.maxcpu ?? 1);
  const maxswap = guest.type === 'lxc' ? Number(guest.config.swap ?? 0) * 1024 * 1024 : 0;
  if (!guest.running) {
    return { uptime: 0, cpu: 0, cpus, mem: 0, maxmem, memhost: 0, disk: 0, maxdisk, netin: 0, netout: 0, diskread: 0, diskwrite: 0, swap: 0, maxswap };
  }
  const uptime = Math.max(0, Math.floor((nowMs - guest.startedAtMs) / 1000));
  const paused = guest.qmpstatus === 'paused';
  const cpu = paused ? 0 : perlFloat((0.002 + base.a * 0.08) * (0.6 + 0.8 * wobble(guest.seed, nowMs)));
  const mem = Math.floor(maxmem * (0.25 + base.b * 0.5));
  const rate = 1000 + Math.floor(base.c * 40000);
  return {
    uptime,
    cpu,
    cpus,
    mem,
    maxmem,
    memhost: Math.floor(mem * 1.08),
    disk: guest.type === 'lxc' ? Math.floor(maxdisk * (0.1 + base.d * 0.5)) : 0,
    maxdisk,
    netin: uptime * rate,
    netout: Math.floor(uptime * rate * 0.35),
    diskread: Math.floor(uptime * rate * 0.8) + 180000000,
    diskwrite: Math.floor(uptime * rate * 1.9) + 90000000,
    swap: 0,
    maxswap,
  };
}

export interface NodeStats {
  readonly uptime: number;
  readonly cpu: number;
  readonly mem: number;
  readonly disk: number;
  readonly loadavg: readonly [string, string, string];
  readonly wait: number;
  readonly swapUsed: number;
}

export function nodeStats(node: SimNode, runningGuestMem: number, nowMs: number): NodeStats {
  const rng = createRng(hashString(`node-stats:${node.name}`));
  const uptime = Math.max(0, Math.floor(nowMs / 1000) - node.bootTimeSec);
  const cpu = perlFloat(node.load * (0.7 + 0.6 * wobble(node.nodeid * 17, nowMs)));
  const load1 = cpu * node.maxcpu;
  const fmt = (x: number): string => x.toFixed(2);
  return {
    uptime,
    cpu,
    mem: Math.min(node.maxmem, Math.floor(node.maxmem * 0.08) + runningGuestMem),
    disk: Math.floor(node.maxdisk * (0.08 + rng() * 0.1)),
    loadavg: [fmt(load1), fmt(load1 * 0.9), fmt(load1 * 0.8)],
    wait: perlFloat(0.0005 + rng() * 0.005),
    swapUsed: 0,
  };
}
