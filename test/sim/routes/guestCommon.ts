// Helpers shared by the QEMU and LXC routes.
import { die, paramError } from '../errors';
import { guestConfigView } from '../guestViews';
import type { GuestType } from '../model';
import { loadGuest } from '../snapshots';
import { boolParam, intParam, strParam, type Params } from '../validate';
import type { RouteRequest } from './types';

/** Perl truthiness of a parameter value ("0", "" and absent are false). */
function truthy(params: Params, key: string): boolean {
  const v = params[key];
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '' && v !== '0';
  return true;
}

/** `raise_param_exc({ $opt => "Only root may use this option." })`, checked in the handler's order. */
export function rootOnly(req: RouteRequest, names: readonly string[]): void {
  if (req.authid === 'root@pam') return;
  for (const name of names) {
    if (truthy(req.params, name)) throw paramError({ [name]: 'Only root may use this option.' });
  }
}

export function vmidOf(req: RouteRequest): number {
  return intParam(req.params, 'vmid') ?? 0;
}

/** GET …/{vmid}/config for both guest types (`snapshot` and `current` are exclusive). */
export function guestConfigRoute(type: GuestType) {
  return (req: RouteRequest): unknown => {
    const snapshot = strParam(req.params, 'snapshot');
    if (snapshot !== undefined && snapshot !== '' && boolParam(req.params, 'current')) {
      const msg = "cannot use 'snapshot' parameter with 'current'";
      throw paramError({ snapshot: msg, current: msg });
    }
    const guest = loadGuest(req.ctx, req.caller.node, type, vmidOf(req));
    if (snapshot !== undefined && snapshot !== '') {
      const snap = guest.snapshots.get(snapshot);
      if (!snap) throw die(`snapshot '${snapshot}' does not exist`);
      return { ...snap, digest: guestConfigView(guest).digest };
    }
    return guestConfigView(guest);
  };
}

export function guestsOnNode(req: RouteRequest, type: GuestType): number[] {
  const res: number[] = [];
  for (const g of req.ctx.state.guests.values()) {
    if (g.node !== req.caller.node || g.type !== type) continue;
    if (!req.rpc.check(req.authid, `/vms/${g.vmid}`, ['VM.Audit'], true)) continue;
    res.push(g.vmid);
  }
  return res;
}
