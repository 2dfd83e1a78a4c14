// LXC power actions after pve-container (API2/LXC/Status.pm, LXC.pm vm_stop/vm_reboot). Unlike
// QEMU, "already running"/"not running" are checked before the task (HTTP 500), and there is no
// reset endpoint at all (NOTES.md §9).
import { die, paramError } from './errors';
import type { SimGuest } from './model';
import { abortGuestTasks } from './qemuPower';
import { assertQuorum, type Caller, type SimContext } from './simContext';
import type { SimTask, TaskContext } from './tasks';

const CONF_MISSING = (node: string, vmid: number): string => `Configuration file 'nodes/${node}/lxc/${vmid}.conf' does not exist`;

function loadConfig(ctx: SimContext, node: string, vmid: number): SimGuest {
  const g = ctx.state.guestOn(node, 'lxc', vmid);
  if (!g) throw die(CONF_MISSING(node, vmid));
  return g;
}

/** PVE::LXC::check_running: only looks at the containers active on this node. */
function running(ctx: SimContext, node: string, vmid: number): SimGuest | undefined {
  const g = ctx.state.guestOn(node, 'lxc', vmid);
  return g?.running ? g : undefined;
}

function checkLock(g: SimGuest, tolerateMounted: boolean): void {
  const lock = g.config.lock;
  if (lock === undefined || lock === '') return;
  if (tolerateMounted && lock === 'mounted') return;
  throw die(`CT is locked (${String(lock)})`);
}

/** The body of the vzstart worker. */
export async function ctStartWork(ctx: SimContext, t: TaskContext, node: string, vmid: number, skiplock: boolean): Promise<void> {
  await t.withConfigLock('lxc', vmid, async () => {
    const g = loadConfig(ctx, node, vmid);
    if (ctx.state.isTemplate(g)) throw die("you can't start a CT if it's a template");
    if (!skiplock) checkLock(g, true);
    if (g.running) throw die(`CT ${vmid} already running`);
    await t.sleep(t.durationMs);
    ctx.state.markRunning(g, 'running', 0);
  });
}

export function lxcStart(ctx: SimContext, caller: Caller, vmid: number, skiplock: boolean): SimTask {
  if (running(ctx, caller.node, vmid)) throw die(`CT ${vmid} already running`);
  assertQuorum(ctx);
  const guest = ctx.state.guest(vmid);
  if (ctx.state.isHaManaged(vmid) && guest) {
    return ctx.tasks.spawn(caller.node, 'hastart', String(vmid), caller.authid, async (t) => {
      t.log(`Requesting HA start for CT ${vmid}`);
      await t.sleep(t.quickMs);
      ctx.ha.requestStart(guest);
    });
  }
  return ctx.tasks.spawn(caller.node, 'vzstart', String(vmid), caller.authid, (t) => ctStartWork(ctx, t, caller.node, vmid, skiplock));
}

/** Stop/shutdown body shared with the HA resource agent. */
export async function ctStopWork(
  ctx: SimContext,
  t: TaskContext,
  node: string,
  vmid: number,
  opts: { skiplock: boolean; shutdown: boolean; timeoutSec: number; forceStop: boolean },
): Promise<void> {
  await t.withConfigLock('lxc', vmid, async () => {
    const g = loadConfig(ctx, node, vmid);
    if (opts.shutdown) checkLock(g, false);
    else if (!opts.skiplock) checkLock(g, true);
    if (!g.running) return;
    if (opts.shutdown && g.behaviour.ignoresShutdown) {
      await t.sleep(opts.timeoutSec * ctx.timing.secondMs);
      if (!opts.forceStop) throw die('container did not stop');
    } else {
      await t.sleep(t.durationMs);
    }
    ctx.state.markStopped(g);
  });
}

export function lxcStop(ctx: SimContext, caller: Caller, vmid: number, p: { skiplock: boolean; overruleShutdown: boolean }): SimTask {
  if (!running(ctx, caller.node, vmid)) throw die(`CT ${vmid} not running`);
  const guest = ctx.state.guest(vmid);
  if (ctx.state.isHaManaged(vmid) && guest) {
    if (p.overruleShutdown) throw paramError({ 'overrule-shutdown': 'Not applicable for HA resources.' });
    return ctx.tasks.spawn(caller.node, 'hastop', String(vmid), caller.authid, async (t) => {
      t.log(`Requesting HA stop for CT ${vmid}`);
      await t.sleep(t.quickMs);
      ctx.ha.requestStop(guest, 0);
    });
  }
  return ctx.tasks.spawn(caller.node, 'vzstop', String(vmid), caller.authid, async (t) => {
    if (p.overruleShutdown) {
      const overruled = abortGuestTasks(ctx, caller.node, 'vzshutdown', vmid);
      if (overruled.length > 0) t.log(`overruled vzshutdown tasks: ${overruled.join(', ')}`);
    }
    await ctStopWork(ctx, t, caller.node, vmid, { skiplock: p.skiplock, shutdown: false, timeoutSec: 0, forceStop: true });
  });
}

export function lxcShutdown(ctx: SimContext, caller: Caller, vmid: number, p: { timeout?: number; forceStop: boolean }): SimTask {
  const timeout = p.timeout ?? 60;
  if (!running(ctx, caller.node, vmid)) throw die(`CT ${vmid} not running`);
  const guest = ctx.state.guest(vmid);
  if (ctx.state.isHaManaged(vmid) && guest) {
    return ctx.tasks.spawn(caller.node, 'hastop', String(vmid), caller.authid, async (t) => {
      t.log(`Requesting HA stop for CT ${vmid}`);
      await t.sleep(t.quickMs);
      ctx.ha.requestStop(guest, timeout);
    });
  }
  return ctx.tasks.spawn(caller.node, 'vzshutdown', String(vmid), caller.authid, (t) =>
    ctStopWork(ctx, t, caller.node, vmid, { skiplock: false, shutdown: true, timeoutSec: timeout, forceStop: p.forceStop }),
  );
}

export function lxcReboot(ctx: SimContext, caller: Caller, vmid: number, timeout: number | undefined): SimTask {
  // Sic: pve-container says "VM" here.
  if (!running(ctx, caller.node, vmid)) throw die(`VM ${vmid} not running`);
  return ctx.tasks.spawn(caller.node, 'vzreboot', String(vmid), caller.authid, async (t) => {
    await t.withConfigLock('lxc', vmid, async () => {
      const g = running(ctx, caller.node, vmid);
      if (!g) return;
      if (g.behaviour.ignoresShutdown) await t.sleep((timeout ?? 60) * ctx.timing.secondMs);
      else await t.sleep(t.durationMs);
      ctx.state.markStopped(g);
      ctx.state.markRunning(g, 'running', 0);
    });
  });
}

export function lxcSuspend(ctx: SimContext, caller: Caller, vmid: number): SimTask {
  if (!running(ctx, caller.node, vmid)) throw die(`CT ${vmid} not running`);
  return ctx.tasks.spawn(caller.node, 'vzsuspend', String(vmid), caller.authid, async (t) => {
    await t.withConfigLock('lxc', vmid, async () => {
      const g = loadConfig(ctx, caller.node, vmid);
      checkLock(g, false);
      await t.sleep(t.durationMs);
      ctx.state.markStopped(g);
      g.checkpointed = true;
    });
  });
}

export function lxcResume(ctx: SimContext, caller: Caller, vmid: number): SimTask {
  if (running(ctx, caller.node, vmid)) throw die(`CT ${vmid} already running`);
  return ctx.tasks.spawn(caller.node, 'vzresume', String(vmid), caller.authid, async (t) => {
    const g = ctx.state.guestOn(caller.node, 'lxc', vmid);
    await t.sleep(t.quickMs);
    if (!g?.checkpointed) {
      throw die(`command 'lxc-checkpoint -n ${vmid} -r --foreground -D /var/lib/vz/dump' failed: exit code 1`);
    }
    ctx.state.markRunning(g, 'running', 0);
  });
}
