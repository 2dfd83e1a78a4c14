// /nodes/{node}/lxc: the list, config, status/current and the power actions (pve-container
// API2/LXC.pm, API2/LXC/Status.pm). There is no status/reset for containers: that path answers 501.
import { guestStatusCurrent, lxcListItem } from '../guestViews';
import { lxcReboot, lxcResume, lxcShutdown, lxcStart, lxcStop, lxcSuspend } from '../lxcPower';
import { hashOrder } from '../rng';
import { loadGuest } from '../snapshots';
import { boolParam, intParam } from '../validate';
import { guestConfigRoute, guestsOnNode, rootOnly, vmidOf } from './guestCommon';
import type { RouteEntry, RouteRequest } from './types';

const base = '/nodes/{node}/lxc/{vmid}';

function list(req: RouteRequest): unknown[] {
  const now = req.ctx.clock.nowMs();
  const rows = guestsOnNode(req, 'lxc').map((vmid) => {
    const g = req.ctx.state.guests.get(vmid);
    return g ? lxcListItem(req.ctx.state, g, now) : {};
  });
  return hashOrder(rows, (r) => String(r.vmid), req.ctx.state.seed);
}

function statusCurrent(req: RouteRequest): unknown {
  const g = loadGuest(req.ctx, req.caller.node, 'lxc', vmidOf(req));
  return guestStatusCurrent(req.ctx.state, g, req.ctx.clock.nowMs());
}

export const lxcRoutes: readonly RouteEntry[] = [
  ['GET', '/nodes/{node}/lxc', list],
  ['GET', `${base}/config`, guestConfigRoute('lxc')],
  ['GET', `${base}/status/current`, statusCurrent],
  [
    'POST',
    `${base}/status/start`,
    (req) => {
      rootOnly(req, ['skiplock']);
      return lxcStart(req.ctx, req.caller, vmidOf(req), boolParam(req.params, 'skiplock')).upid;
    },
  ],
  [
    'POST',
    `${base}/status/stop`,
    (req) => {
      rootOnly(req, ['skiplock']);
      return lxcStop(req.ctx, req.caller, vmidOf(req), {
        skiplock: boolParam(req.params, 'skiplock'),
        overruleShutdown: boolParam(req.params, 'overrule-shutdown'),
      }).upid;
    },
  ],
  [
    'POST',
    `${base}/status/shutdown`,
    (req) =>
      lxcShutdown(req.ctx, req.caller, vmidOf(req), { timeout: intParam(req.params, 'timeout'), forceStop: boolParam(req.params, 'forceStop') }).upid,
  ],
  ['POST', `${base}/status/reboot`, (req) => lxcReboot(req.ctx, req.caller, vmidOf(req), intParam(req.params, 'timeout')).upid],
  ['POST', `${base}/status/suspend`, (req) => lxcSuspend(req.ctx, req.caller, vmidOf(req)).upid],
  ['POST', `${base}/status/resume`, (req) => lxcResume(req.ctx, req.caller, vmidOf(req)).upid],
];
