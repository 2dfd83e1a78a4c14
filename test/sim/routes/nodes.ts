// GET /nodes and GET /nodes/{node}/status (pve-manager API2/Nodes.pm, API2Tools::extract_node_stats;
// NOTES.md §11; shapes checked against recorded/go-proxmox-nodes.json and pvexport-node-status-pve9.json).
import type { ClusterState } from '../state';
import type { SimNode } from '../model';
import { guestStats, nodeStats } from '../stats';
import type { RouteEntry } from './types';

/** Memory used by running guests per node (what makes node `mem` move when guests start). */
export function runningGuestMem(state: ClusterState, nowMs: number): Map<string, number> {
  const res = new Map<string, number>();
  for (const g of state.guests.values()) {
    if (!g.running) continue;
    res.set(g.node, (res.get(g.node) ?? 0) + guestStats(g, state.node(g.node), nowMs).mem);
  }
  return res;
}

/** API2Tools::extract_node_stats (+ ssl_fingerprint for /nodes). */
export function nodeEntry(node: SimNode, guestMem: ReadonlyMap<string, number>, nowMs: number, canAudit: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = { id: `node/${node.name}`, node: node.name, type: 'node', status: 'unknown' };
  if (node.online) {
    const s = nodeStats(node, guestMem.get(node.name) ?? 0, nowMs);
    if (canAudit) {
      entry.uptime = s.uptime;
      entry.cpu = s.cpu;
      entry.mem = s.mem;
      entry.disk = s.disk;
    }
    entry.status = 'online';
  }
  entry.level = node.level;
  if (canAudit) {
    entry.maxcpu = node.maxcpu;
    entry.maxmem = node.maxmem;
    entry.maxdisk = node.maxdisk;
  }
  if (!node.online) entry.status = 'offline';
  return entry;
}

export const nodeRoutes: readonly RouteEntry[] = [
  [
    'GET',
    '/nodes',
    ({ ctx, rpc, authid }) => {
      const now = ctx.clock.nowMs();
      const mem = runningGuestMem(ctx.state, now);
      return ctx.state.nodes.map((n) => ({
        ...nodeEntry(n, mem, now, rpc.check(authid, `/nodes/${n.name}`, ['Sys.Audit'], true)),
        ssl_fingerprint: n.fingerprint,
      }));
    },
  ],
  [
    'GET',
    '/nodes/{node}/status',
    ({ ctx, caller }) => {
      const now = ctx.clock.nowMs();
      const node = ctx.state.node(caller.node);
      if (!node) throw new Error(`unknown node ${caller.node}`);
      const s = nodeStats(node, runningGuestMem(ctx.state, now).get(node.name) ?? 0, now);
      const cores = Math.max(1, Math.floor(node.maxcpu / 2 / node.sockets));
      const swapTotal = 8589930496;
      const rootUsed = s.disk;
      const kernel = '6.17.4-1-pve';
      return {
        uptime: s.uptime,
        idle: 0,
        loadavg: s.loadavg,
        kversion: `Linux ${kernel} #1 SMP PREEMPT_DYNAMIC PMX 6.17.4-1 (2025-12-03T15:42Z)`,
        'current-kernel': { sysname: 'Linux', release: kernel, version: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.4-1 (2025-12-03T15:42Z)', machine: 'x86_64' },
        'boot-info': { mode: 'efi', secureboot: 0 },
        cpuinfo: {
          model: node.cpuModel,
          sockets: node.sockets,
          cores,
          cpus: node.maxcpu,
          mhz: '2994.374',
          hvm: '1',
          user_hz: 100,
          flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid aperfmperf rapl pni pclmulqdq monitor ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs skinit wdt tce topoext perfctr_core perfctr_nb bpext perfctr_llc mwaitx cpb cat_l3 cdp_l3 hw_pstate ssbd mba ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 cqm rdt_a rdseed adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local clzero irperf xsaveerptr rdpru wbnoinvd arat npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists pausefilter pfthreshold avic v_vmsave_vmload vgif v_spec_ctrl umip rdpid overflow_recov succor smca sev sev_es',
        },
        cpu: s.cpu,
        wait: s.wait,
        memory: { total: node.maxmem, used: s.mem, free: node.maxmem - s.mem, available: Math.floor((node.maxmem - s.mem) * 0.97) },
        swap: { total: swapTotal, used: s.swapUsed, free: swapTotal - s.swapUsed },
        ksm: { shared: 0 },
        rootfs: { total: node.maxdisk, used: rootUsed, free: node.maxdisk - rootUsed, avail: node.maxdisk - rootUsed - 5242880000 },
        pveversion: `pve-manager/${ctx.state.version.version}/${ctx.state.version.repoid}`,
      };
    },
  ],
];
