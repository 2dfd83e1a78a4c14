// /nodes/{node}/qemu: the list, config, status/current and the power actions
// (qemu-server API2/Qemu.pm; NOTES.md §8, §9).
import { guestStatusCurrent, qemuListItem } from '../guestViews';
import { qemuReboot, qemuReset, qemuResume, qemuShutdown, qemuStart, qemuStop, qemuSuspend } from '../qemuPower';
import { hashOrder } from '../rng';
import { loadGuest } from '../snapshots';
import { boolParam, intParam, strParam } from '../validate';
import { guestConfigRoute, guestsOnNode, rootOnly, vmidOf } from './guestCommon';
import type { RouteEntry, RouteRequest } from './types';

const base = '/nodes/{node}/qemu/{vmid}';

function list(req: RouteRequest): unknown[] {
  const now = req.ctx.clock.nowMs();
  const full = boolParam(req.params, 'full');
  const rows = guestsOnNode(req, 'qemu').map((vmid) => {
    const g = req.ctx.state.guests.get(vmid);
    return g ? qemuListItem(req.ctx.state, g, now, full) : {};
  });
  return hashOrder(rows, (r) => String(r.vmid), req.ctx.state.seed);
}

function statusCurrent(req: RouteRequest): unknown {
  const g = loadGuest(req.ctx, req.caller.node, 'qemu', vmidOf(req));
  return guestStatusCurrent(req.ctx.state, g, req.ctx.clock.nowMs());
}

function start(req: RouteRequest): string {
  rootOnly(req, ['stateuri', 'skiplock', 'migratedfrom', 'migration_type', 'migration_network', 'targetstorage', 'force-cpu', 'with-conntrack-state', 'nets-host-mtu']);
  return qemuStart(req.ctx, req.caller, vmidOf(req), { skiplock: boolParam(req.params, 'skiplock'), timeout: intParam(req.params, 'timeout') }).upid;
}

function stop(req: RouteRequest): string {
  rootOnly(req, ['skiplock', 'keepActive', 'migratedfrom']);
  return qemuStop(req.ctx, req.caller, vmidOf(req), {
    skiplock: boolParam(req.params, 'skiplock'),
    timeout: intParam(req.params, 'timeout'),
    overruleShutdown: boolParam(req.params, 'overrule-shutdown'),
  }).upid;
}

function shutdown(req: RouteRequest): string {
  rootOnly(req, ['skiplock', 'keepActive']);
  return qemuShutdown(req.ctx, req.caller, vmidOf(req), {
    skiplock: boolParam(req.params, 'skiplock'),
    timeout: intParam(req.params, 'timeout'),
    forceStop: boolParam(req.params, 'forceStop'),
  }).upid;
}

function reboot(req: RouteRequest): string {
  return qemuReboot(req.ctx, req.caller, vmidOf(req), intParam(req.params, 'timeout')).upid;
}

function reset(req: RouteRequest): string {
  rootOnly(req, ['skiplock']);
  return qemuReset(req.ctx, req.caller, vmidOf(req), boolParam(req.params, 'skiplock')).upid;
}

function suspend(req: RouteRequest): string {
  rootOnly(req, ['skiplock']);
  const task = qemuSuspend(
    req.ctx,
    req.caller,
    vmidOf(req),
    { skiplock: boolParam(req.params, 'skiplock'), todisk: boolParam(req.params, 'todisk'), statestorage: strParam(req.params, 'statestorage') },
    (path, priv) => {
      req.rpc.check(req.authid, path, [priv]);
    },
  );
  return task.upid;
}

function resume(req: RouteRequest): string {
  rootOnly(req, ['skiplock', 'nocheck']);
  return qemuResume(req.ctx, req.caller, vmidOf(req), boolParam(req.params, 'skiplock')).upid;
}

export const qemuRoutes: readonly RouteEntry[] = [
  ['GET', '/nodes/{node}/qemu', list],
  ['GET', `${base}/config`, guestConfigRoute('qemu')],
  ['GET', `${base}/status/current`, statusCurrent],
  ['POST', `${base}/status/start`, start],
  ['POST', `${base}/status/stop`, stop],
  ['POST', `${base}/status/shutdown`, shutdown],
  ['POST', `${base}/status/reboot`, reboot],
  ['POST', `${base}/status/reset`, reset],
  ['POST', `${base}/status/suspend`, suspend],
  ['POST', `${base}/status/resume`, resume],
];
