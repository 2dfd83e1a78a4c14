// Snapshot endpoints for both guest types (qemu-server API2/Qemu.pm, pve-container
// API2/LXC/Snapshot.pm; NOTES.md §10).
import type { GuestType } from '../model';
import { snapshotConfig, snapshotCreate, snapshotDelete, snapshotList, snapshotRollback, snapshotSetDescription } from '../snapshots';
import { boolParam, strParam } from '../validate';
import { vmidOf } from './guestCommon';
import type { RouteEntry, RouteRequest } from './types';

function snapname(req: RouteRequest): string {
  return strParam(req.params, 'snapname') ?? '';
}

function routesFor(type: GuestType): RouteEntry[] {
  const base = `/nodes/{node}/${type}/{vmid}/snapshot`;
  return [
    ['GET', base, (req) => snapshotList(req.ctx, req.caller.node, type, vmidOf(req))],
    [
      'POST',
      base,
      (req) =>
        snapshotCreate(req.ctx, req.caller, type, vmidOf(req), {
          snapname: snapname(req),
          description: strParam(req.params, 'description'),
          vmstate: boolParam(req.params, 'vmstate'),
        }).upid,
    ],
    // Only a directory index; no proxyto, no existence check (but the parameters are validated).
    ['GET', `${base}/{snapname}`, () => [{ cmd: 'rollback' }, { cmd: 'config' }]],
    ['DELETE', `${base}/{snapname}`, (req) => snapshotDelete(req.ctx, req.caller, type, vmidOf(req), snapname(req)).upid],
    [
      'POST',
      `${base}/{snapname}/rollback`,
      (req) => {
        const start = boolParam(req.params, 'start');
        // Added to qemu-server in 2026-05: starting after rollback also needs VM.PowerMgmt.
        if (type === 'qemu' && start) req.rpc.check(req.authid, `/vms/${vmidOf(req)}`, ['VM.PowerMgmt']);
        return snapshotRollback(req.ctx, req.caller, type, vmidOf(req), snapname(req), start).upid;
      },
    ],
    ['GET', `${base}/{snapname}/config`, (req) => snapshotConfig(req.ctx, req.caller.node, type, vmidOf(req), snapname(req))],
    [
      'PUT',
      `${base}/{snapname}/config`,
      async (req) => {
        const description = strParam(req.params, 'description');
        // Without `description` the handler returns before looking at the guest at all.
        if (description === undefined) return null;
        await snapshotSetDescription(req.ctx, req.caller.node, type, vmidOf(req), snapname(req), description, (fn) =>
          req.withConfigLock(type, vmidOf(req), fn),
        );
        return null;
      },
    ],
  ];
}

export const snapshotRoutes: readonly RouteEntry[] = [...routesFor('qemu'), ...routesFor('lxc')];
