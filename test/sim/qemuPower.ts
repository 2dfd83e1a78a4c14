// QEMU power actions after qemu-server (API2/Qemu.pm vm_start..vm_resume, QemuServer.pm vm_start/
// _do_vm_stop/vm_reboot, RunState.pm vm_suspend/vm_resume). What fails synchronously (HTTP 500)
// and what fails inside the task follows that code, see the table in NOTES.md §9.
import { die, paramError } from './errors';
import type { SimGuest } from './model';
import { assertQuorum, type Caller, type SimContext } from './simContext';
import type { SimTask, TaskContext } from './tasks';

const CONF_MISSING = (node: string, vmid: number): string => `Configuration file 'nodes/${node}/qemu-server/${vmid}.conf' does not exist`;
const NOT_ON_NODE = (node: string, vmid: number): string => `unable to find configuration file for VM ${vmid} on node '${node}'`;

/** PVE::QemuConfig->load_config on the handling node. */
function loadConfig(ctx: SimContext, node: string, vmid: number): SimGuest {
  const g = ctx.state.guestOn(node, 'qemu', vmid);
  if (!g) throw die(CONF_MISSING(node, vmid));
  return g;
}

/** QemuServer::check_running: asserts the config is on this node, then "is the process there". */
function checkRunning(ctx: SimContext, node: string, vmid: number): SimGuest | undefined {
  const g = ctx.state.guestOn(node, 'qemu', vmid);
  if (!g) throw die(NOT_ON_NODE(node, vmid));
  return g.running ? g : undefined;
}

function checkLock(g: SimGuest): void {
  const lock = g.config.lock;
  if (lock !== undefined && lock !== '') throw die(`VM is locked (${String(lock)})`);
}

/** vm_is_paused($vmid, 1): paused, prelaunch or suspended; errors are swallowed (eval). */
function isPaused(ctx: SimContext, node: string, vmid: number): boolean {
  const g = ctx.state.guestOn(node, 'qemu', vmid);
  return !!g && g.running && ['paused', 'prelaunch', 'suspended'].includes(g.qmpstatus);
}

function hasLock(g: SimGuest, lock: string): boolean {
  return g.config.lock === lock;
}

/** The body of QemuServer::vm_start (runs inside a task). */
export async function vmStartWork(ctx: SimContext, t: TaskContext, node: string, vmid: number, skiplock: boolean): Promise<void> {
  await t.withConfigLock('qemu', vmid, async () => {
    const g = loadConfig(ctx, node, vmid);
    if (ctx.state.isTemplate(g)) throw die("you can't start a vm if it's a template");
    const suspended = hasLock(g, 'suspended');
    if (hasLock(g, 'backup') && g.running) {
      // A backup is running: start means "resume the existing QEMU instance".
      await t.sleep(t.quickMs);
      g.qmpstatus = 'running';
      ctx.state.touch();
      return;
    }
    if (!(skiplock || suspended)) checkLock(g);
    if (g.running) throw die(`VM ${vmid} already running`);
    await t.sleep(t.durationMs);
    if (suspended || g.config.vmstate !== undefined) {
      t.log(`resuming VM from suspended state`);
      for (const k of ['lock', 'vmstate', 'runningmachine', 'runningcpu']) Reflect.deleteProperty(g.config, k);
    }
    ctx.state.markRunning(g, 'running', 0);
  });
}

/** QemuServer::_do_vm_stop under lock_config (qmstop, qmshutdown, the stop half of qmreboot). */
async function doVmStop(
  ctx: SimContext,
  t: TaskContext,
  node: string,
  vmid: number,
  opts: { skiplock: boolean; timeoutSec?: number; shutdown: boolean; force: boolean },
): Promise<boolean> {
  const g = checkRunning(ctx, node, vmid);
  if (!g) return false;
  if (!opts.skiplock) checkLock(g);
  if (opts.shutdown && g.behaviour.ignoresShutdown) {
    const timeout = opts.timeoutSec ?? 60;
    await t.sleep(timeout * ctx.timing.secondMs);
    if (!opts.force) throw die('VM quit/powerdown failed - got timeout');
    t.log('VM still running - terminating now with SIGTERM');
  } else {
    await t.sleep(t.durationMs);
  }
  ctx.state.markStopped(g);
  return true;
}

export interface StartParams {
  readonly skiplock: boolean;
  readonly timeout?: number;
}

export function qemuStart(ctx: SimContext, caller: Caller, vmid: number, p: StartParams): SimTask {
  assertQuorum(ctx);
  const guest = ctx.state.guest(vmid);
  if (ctx.state.isHaManaged(vmid) && guest) {
    return ctx.tasks.spawn(caller.node, 'hastart', String(vmid), caller.authid, async (t) => {
      t.log(`Requesting HA start for VM ${vmid}`);
      await t.sleep(t.quickMs);
      ctx.ha.requestStart(guest);
    });
  }
  return ctx.tasks.spawn(caller.node, 'qmstart', String(vmid), caller.authid, (t) => vmStartWork(ctx, t, caller.node, vmid, p.skiplock));
}

export interface StopParams {
  readonly skiplock: boolean;
  readonly timeout?: number;
  readonly overruleShutdown: boolean;
}

export function qemuStop(ctx: SimContext, caller: Caller, vmid: number, p: StopParams): SimTask {
  const guest = ctx.state.guest(vmid);
  if (ctx.state.isHaManaged(vmid) && guest) {
    if (p.overruleShutdown) throw paramError({ 'overrule-shutdown': 'Not applicable for HA resources.' });
    return ctx.tasks.spawn(caller.node, 'hastop', String(vmid), caller.authid, async (t) => {
      t.log(`Requesting HA stop for VM ${vmid}`);
      await t.sleep(t.quickMs);
      ctx.ha.requestStop(guest, 0);
    });
  }
  return ctx.tasks.spawn(caller.node, 'qmstop', String(vmid), caller.authid, async (t) => {
    if (p.overruleShutdown) {
      const overruled = abortGuestTasks(ctx, caller.node, 'qmshutdown', vmid);
      if (overruled.length > 0) t.log(`overruled qmshutdown tasks: ${overruled.join(', ')}`);
    }
    await t.withConfigLock('qemu', vmid, () =>
      doVmStop(ctx, t, caller.node, vmid, { skiplock: p.skiplock, timeoutSec: p.timeout, shutdown: false, force: true }),
    );
  });
}

/** PVE::GuestHelpers::abort_guest_tasks. */
export function abortGuestTasks(ctx: SimContext, node: string, type: string, vmid: number): string[] {
  const res: string[] = [];
  for (const task of ctx.tasks.tasksOf(node)) {
    if (task.status === 'running' && task.type === type && task.id === String(vmid)) {
      ctx.tasks.stop(task.upid);
      res.push(task.upid);
    }
  }
  return res;
}

export interface ShutdownParams {
  readonly skiplock: boolean;
  readonly timeout?: number;
  readonly forceStop: boolean;
}

export function qemuShutdown(ctx: SimContext, caller: Caller, vmid: number, p: ShutdownParams): SimTask {
  let shutdown = true;
  if (isPaused(ctx, caller.node, vmid)) {
    // "VM is paused - stop instead of shutdown" goes to the daemon's log, not the task log.
    if (p.forceStop) shutdown = false;
    else throw die('VM is paused - cannot shutdown');
  }
  const guest = ctx.state.guest(vmid);
  if (ctx.state.isHaManaged(vmid) && guest) {
    const timeout = p.timeout ?? 60;
    return ctx.tasks.spawn(caller.node, 'hastop', String(vmid), caller.authid, async (t) => {
      t.log(`Requesting HA stop for VM ${vmid}`);
      await t.sleep(t.quickMs);
      ctx.ha.requestStop(guest, timeout);
    });
  }
  return ctx.tasks.spawn(caller.node, 'qmshutdown', String(vmid), caller.authid, async (t) => {
    await t.withConfigLock('qemu', vmid, () =>
      doVmStop(ctx, t, caller.node, vmid, { skiplock: p.skiplock, timeoutSec: p.timeout, shutdown, force: p.forceStop }),
    );
  });
}

export function qemuReboot(ctx: SimContext, caller: Caller, vmid: number, timeout: number | undefined): SimTask {
  if (isPaused(ctx, caller.node, vmid)) throw die('VM is paused - cannot shutdown');
  if (!checkRunning(ctx, caller.node, vmid)) throw die(`VM ${vmid} not running`);
  return ctx.tasks.spawn(caller.node, 'qmreboot', String(vmid), caller.authid, async (t) => {
    await t.withConfigLock('qemu', vmid, async () => {
      const stopped = await doVmStop(ctx, t, caller.node, vmid, { skiplock: false, timeoutSec: timeout, shutdown: true, force: false });
      // qmeventd starts the VM again after the shutdown it recognises as a reboot request.
      const g = ctx.state.guestOn(caller.node, 'qemu', vmid);
      if (stopped && g) ctx.state.markRunning(g, 'running', 0);
    });
  });
}

export function qemuReset(ctx: SimContext, caller: Caller, vmid: number, skiplock: boolean): SimTask {
  if (!checkRunning(ctx, caller.node, vmid)) throw die(`VM ${vmid} not running`);
  return ctx.tasks.spawn(caller.node, 'qmreset', String(vmid), caller.authid, async (t) => {
    await t.withConfigLock('qemu', vmid, async () => {
      const g = loadConfig(ctx, caller.node, vmid);
      if (!skiplock) checkLock(g);
      await t.sleep(t.quickMs);
    });
  });
}

export interface SuspendParams {
  readonly skiplock: boolean;
  readonly todisk: boolean;
  readonly statestorage?: string;
}

/** find_vmstate_storage: the storage of the first disk (else local). */
export function vmstateStorage(g: SimGuest): string {
  for (const [k, v] of Object.entries(g.config)) {
    if (/^(scsi|virtio|sata|ide)\d+$/.test(k) && !String(v).includes('media=cdrom')) {
      return String(v).split(':')[0] ?? 'local';
    }
  }
  return 'local';
}

/** Synchronous part of POST …/status/suspend; `checkPriv` performs the extra todisk checks (403). */
export function qemuSuspend(
  ctx: SimContext,
  caller: Caller,
  vmid: number,
  p: SuspendParams,
  checkPriv: (path: string, priv: string) => void,
): SimTask {
  const g = checkRunning(ctx, caller.node, vmid);
  if (!g) throw die(`VM ${vmid} not running`);
  if (p.todisk && ctx.state.isHaManaged(vmid)) throw die('Cannot suspend HA managed VM to disk');
  let statestorage = p.statestorage;
  if (p.todisk) {
    checkPriv(`/vms/${vmid}`, 'VM.Config.Disk');
    if (Object.keys(g.config).some((k) => /^hostpci\d+/.test(k))) {
      throw die(
        'cannot suspend VM to disk due to passed-through PCI device(s), which lack the possibility to save/restore their internal state',
      );
    }
    statestorage ??= vmstateStorage(g);
    checkPriv(`/storage/${statestorage}`, 'Datastore.AllocateSpace');
  }
  const type = p.todisk ? 'qmsuspend' : 'qmpause';
  return ctx.tasks.spawn(caller.node, type, String(vmid), caller.authid, async (t) => {
    const guest = await t.withConfigLock('qemu', vmid, () => {
      const conf = loadConfig(ctx, caller.node, vmid);
      const backingUp = hasLock(conf, 'backup');
      if (!(p.skiplock || backingUp)) checkLock(conf);
      if (backingUp && p.todisk) throw die('cannot suspend to disk during backup');
      if (p.todisk) conf.config.lock = 'suspending';
      ctx.state.touch();
      return conf;
    });
    if (!p.todisk) {
      await t.sleep(t.quickMs);
      guest.qmpstatus = 'paused';
      ctx.state.touch();
      return;
    }
    await t.sleep(t.durationMs);
    t.log('State saved, quitting');
    await t.withConfigLock('qemu', vmid, () => {
      if (!hasLock(guest, 'suspending')) throw die('lock changed unexpectedly');
      const date = new Date(ctx.clock.nowMs()).toISOString().slice(0, 10);
      guest.config.vmstate = `${statestorage ?? 'local'}:vm-${vmid}-state-suspend-${date}`;
      guest.config.runningmachine = 'pc-i440fx-9.2+pve1';
      guest.config.lock = 'suspended';
      ctx.state.markStopped(guest);
    });
  });
}

export function qemuResume(ctx: SimContext, caller: Caller, vmid: number, skiplock: boolean): SimTask {
  const conf = ctx.state.guestOn(caller.node, 'qemu', vmid);
  const toDiskSuspended = conf !== undefined && hasLock(conf, 'suspended');
  if (!toDiskSuspended && !checkRunning(ctx, caller.node, vmid)) throw die(`VM ${vmid} not running`);
  return ctx.tasks.spawn(caller.node, 'qmresume', String(vmid), caller.authid, async (t) => {
    if (toDiskSuspended) {
      await vmStartWork(ctx, t, caller.node, vmid, skiplock);
      return;
    }
    await t.withConfigLock('qemu', vmid, async () => {
      const g = loadConfig(ctx, caller.node, vmid);
      if (ctx.state.isTemplate(g)) throw die(`VM ${vmid} is a template and cannot be resumed!`);
      if (g.qmpstatus === 'running') return;
      if (!(skiplock || hasLock(g, 'backup'))) checkLock(g);
      await t.sleep(t.quickMs);
      g.qmpstatus = 'running';
      ctx.state.touch();
    });
  });
}

/** qmstop/qmshutdown body for the HA resource agent (force-stops after the timeout). */
export async function vmStopWork(ctx: SimContext, t: TaskContext, node: string, vmid: number, timeoutSec: number): Promise<void> {
  await t.withConfigLock('qemu', vmid, () =>
    doVmStop(ctx, t, node, vmid, { skiplock: false, timeoutSec, shutdown: timeoutSec > 0, force: true }),
  );
}
