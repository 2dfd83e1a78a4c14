// Snapshot create/delete/rollback as pve-guest-common AbstractConfig does them (NOTES.md §10):
// lock `snapshot` + `snapstate: prepare` while creating, `snapshot-delete` + `snapstate: delete`
// while deleting, `rollback` while rolling back; parent links re-pointed on delete; a rollback to a
// RAM snapshot leaves the VM running.
import { applySnapshotConfig, canSnapshot, configDigest, configDisks, copySnapshotConfig } from './guestConfig';
import { die } from './errors';
import type { GuestConfig, GuestType, SimGuest } from './model';
import { lxcStart } from './lxcPower';
import { qemuStart, vmstateStorage } from './qemuPower';
import { hashOrder } from './rng';
import type { Caller, SimContext } from './simContext';
import type { SimTask, TaskContext } from './tasks';

function label(type: GuestType): string {
  return type === 'qemu' ? 'VM' : 'CT';
}

export function loadGuest(ctx: SimContext, node: string, type: GuestType, vmid: number): SimGuest {
  const g = ctx.state.guestOn(node, type, vmid);
  if (!g) {
    const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
    throw die(`Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`);
  }
  return g;
}

function checkLock(g: SimGuest): void {
  const lock = g.config.lock;
  if (lock !== undefined && lock !== '') throw die(`${label(g.type)} is locked (${String(lock)})`);
}

function snapDisks(g: SimGuest, conf: GuestConfig): { key: string; volid: string }[] {
  return configDisks(g.type, conf).map((d) => ({ key: d.key, volid: d.volid }));
}

/** GET …/snapshot: one item per snapshot (unordered, like a Perl hash) plus the `current` item. */
export function snapshotList(ctx: SimContext, node: string, type: GuestType, vmid: number): Record<string, unknown>[] {
  const g = loadGuest(ctx, node, type, vmid);
  const items: Record<string, unknown>[] = [];
  for (const [name, d] of g.snapshots) {
    const item: Record<string, unknown> = { name, snaptime: Number(d.snaptime ?? 0) || 0, description: d.description ?? '' };
    if (type === 'qemu') item.vmstate = d.vmstate ? 1 : 0;
    if (d.parent !== undefined && d.parent !== '') item.parent = d.parent;
    if (d.snapstate !== undefined && d.snapstate !== '') item.snapstate = d.snapstate;
    items.push(item);
  }
  const res = hashOrder(items, (i) => String(i.name), ctx.state.seed + vmid);
  const current: Record<string, unknown> = {
    name: 'current',
    digest: configDigest(g),
    running: g.running ? 1 : 0,
    description: 'You are here!',
  };
  if (g.config.parent !== undefined && g.config.parent !== '') current.parent = g.config.parent;
  res.push(current);
  return res;
}

export interface CreateParams {
  readonly snapname: string;
  readonly description?: string;
  readonly vmstate: boolean;
}

/** POST …/snapshot: reserved names and (QEMU) the config's existence are checked before the task. */
export function snapshotCreate(ctx: SimContext, caller: Caller, type: GuestType, vmid: number, p: CreateParams): SimTask {
  const { snapname } = p;
  if (snapname === 'current') throw die("unable to use snapshot name 'current' (reserved name)");
  if (type === 'qemu') {
    if (snapname.toLowerCase() === 'pending') throw die("unable to use snapshot name 'pending' (reserved name)");
    loadGuest(ctx, caller.node, type, vmid);
  } else if (snapname === 'vzdump') {
    throw die("unable to use snapshot name 'vzdump' (reserved name)");
  }
  const taskType = type === 'qemu' ? 'qmsnapshot' : 'vzsnapshot';
  return ctx.tasks.spawn(caller.node, taskType, String(vmid), caller.authid, async (t) => {
    const { guest, snap } = await t.withConfigLock(type, vmid, () => {
      const g = loadGuest(ctx, caller.node, type, vmid);
      if (ctx.state.isTemplate(g)) throw die("you can't take a snapshot if it's a template");
      checkLock(g);
      if (g.snapshots.has(snapname)) throw die(`snapshot name '${snapname}' already used`);
      if (!canSnapshot(type, g.config, ctx.state.storages)) throw die('snapshot feature is not available');
      g.config.lock = 'snapshot';
      for (const [name, other] of g.snapshots) {
        if (other.parent === snapname) {
          t.log(`deleting parent '${snapname}' reference from '${name}' to avoid bogus snapshot cycle.`);
          delete other.parent;
        }
      }
      const s: GuestConfig = {};
      if (type === 'qemu' && p.vmstate && g.running) {
        s.vmstate = `${vmstateStorage(g)}:vm-${vmid}-state-${snapname}`;
        s.runningmachine = 'pc-i440fx-9.2+pve1';
        s.runningcpu = 'qemu64,+aes,enforce,+kvm_pv_eoi,+kvm_pv_unhalt,+pni,+popcnt,+sse4.1,+sse4.2,+ssse3';
      }
      copySnapshotConfig(g.config, s);
      s.snapstate = 'prepare';
      s.snaptime = ctx.clock.nowSec();
      if (p.description !== undefined && p.description !== '') s.description = p.description;
      g.snapshots.set(snapname, s);
      ctx.state.touch();
      return { guest: g, snap: s };
    });
    if (snap.vmstate !== undefined) {
      t.log(`saving VM state and RAM using storage '${String(snap.vmstate).split(':')[0] ?? ''}'`);
    }
    for (const d of snapDisks(guest, snap)) {
      t.log(type === 'qemu' ? `snapshotting 'drive-${d.key}' (${d.volid})` : `snapshotting '${d.key}' (${d.volid})`);
    }
    await t.sleep(t.durationMs);
    if (snap.vmstate !== undefined) t.log('resuming VM again');
    await t.withConfigLock(type, vmid, () => {
      if (guest.config.lock !== 'snapshot') throw die('missing snapshot lock');
      const s = guest.snapshots.get(snapname);
      if (!s) throw die(`snapshot '${snapname}' does not exist`);
      if (s.snapstate !== 'prepare') throw die('wrong snapshot state');
      delete s.snapstate;
      delete guest.config.lock;
      guest.config.parent = snapname;
      ctx.state.touch();
    });
  });
}

/** DELETE …/snapshot/{snapname}: everything happens in the task. */
export function snapshotDelete(ctx: SimContext, caller: Caller, type: GuestType, vmid: number, snapname: string): SimTask {
  const taskType = type === 'qemu' ? 'qmdelsnapshot' : 'vzdelsnapshot';
  return ctx.tasks.spawn(caller.node, taskType, String(vmid), caller.authid, async (t) => {
    const guest = await t.withConfigLock(type, vmid, () => {
      const g = loadGuest(ctx, caller.node, type, vmid);
      if (!g.snapshots.has(snapname)) throw die(`snapshot '${snapname}' does not exist`);
      checkLock(g);
      g.config.lock = 'snapshot-delete';
      if (ctx.state.isTemplate(g)) throw die("you can't delete a snapshot if vm is a template");
      const snap = g.snapshots.get(snapname);
      if (snap) snap.snapstate = 'delete';
      ctx.state.touch();
      return g;
    });
    const snap = guest.snapshots.get(snapname) ?? {};
    for (const d of snapDisks(guest, snap)) {
      t.log(type === 'qemu' ? `delete snapshot '${snapname}' of drive-${d.key} (${d.volid})` : `delete snapshot '${snapname}' of ${d.key} (${d.volid})`);
    }
    await t.sleep(t.durationMs);
    await t.withConfigLock(type, vmid, () => {
      if (guest.config.lock !== 'snapshot-delete') throw die("encountered invalid lock, expected 'snapshot-delete'");
      const s = guest.snapshots.get(snapname);
      if (!s) throw die(`snapshot '${snapname}' does not exist`);
      const newParent = s.parent;
      const relink = (conf: GuestConfig): void => {
        if (conf.parent !== snapname) return;
        if (newParent !== undefined && newParent !== '') conf.parent = newParent;
        else delete conf.parent;
      };
      relink(guest.config);
      for (const [name, other] of guest.snapshots) if (name !== snapname) relink(other);
      guest.snapshots.delete(snapname);
      delete guest.config.lock;
      ctx.state.touch();
    });
  });
}

/** POST …/snapshot/{snapname}/rollback. */
export function snapshotRollback(ctx: SimContext, caller: Caller, type: GuestType, vmid: number, snapname: string, start: boolean): SimTask {
  const taskType = type === 'qemu' ? 'qmrollback' : 'vzrollback';
  return ctx.tasks.spawn(caller.node, taskType, String(vmid), caller.authid, async (t: TaskContext) => {
    const getSnap = (g: SimGuest): GuestConfig => {
      if (ctx.state.isTemplate(g)) throw die("you can't rollback if vm is a template");
      const s = g.snapshots.get(snapname);
      if (!s) throw die(`snapshot '${snapname}' does not exist`);
      return s;
    };
    const guest = await t.withConfigLock(type, vmid, async () => {
      const g = loadGuest(ctx, caller.node, type, vmid);
      const s = getSnap(g);
      if (s.snapstate !== undefined && s.snapstate !== '') {
        throw die(`unable to rollback to incomplete snapshot (snapstate = ${String(s.snapstate)})`);
      }
      checkLock(g);
      if (g.running) {
        // __snapshot_rollback_vm_stop: a hard stop with a 5 s timeout.
        await t.sleep(t.quickMs);
        ctx.state.markStopped(g);
      }
      g.config.lock = 'rollback';
      ctx.state.touch();
      return g;
    });
    const snap = guest.snapshots.get(snapname) ?? {};
    for (const d of snapDisks(guest, snap)) {
      t.log(type === 'qemu' ? `rollback snapshot '${snapname}' of drive-${d.key} (${d.volid})` : `rollback snapshot '${snapname}' of ${d.key} (${d.volid})`);
    }
    await t.sleep(t.durationMs);
    await t.withConfigLock(type, vmid, () => {
      const s = getSnap(guest);
      if (guest.config.lock !== 'rollback') throw die('got wrong lock');
      const next = applySnapshotConfig(guest.config, s);
      next.parent = snapname;
      for (const k of ['runningmachine', 'runningcpu']) Reflect.deleteProperty(next, k);
      guest.config = next;
      if (type === 'qemu' && s.vmstate !== undefined) {
        // RAM state: the VM is started from the saved state and keeps running.
        ctx.state.markRunning(guest, 'running', 0);
      }
      ctx.state.touch();
    });
    if (start && !guest.running) {
      // PVE calls the start API method from the worker: a separate start task with its own UPID.
      if (type === 'qemu') qemuStart(ctx, caller, vmid, { skiplock: false });
      else lxcStart(ctx, caller, vmid, false);
    }
  });
}

/** GET …/snapshot/{snapname}/config: the snapshot's section as stored. */
export function snapshotConfig(ctx: SimContext, node: string, type: GuestType, vmid: number, snapname: string): GuestConfig {
  const g = loadGuest(ctx, node, type, vmid);
  const s = g.snapshots.get(snapname);
  if (!s) throw die(`snapshot '${snapname}' does not exist`);
  return { ...s };
}

/** PUT …/snapshot/{snapname}/config (synchronous, under the config lock). */
export async function snapshotSetDescription(
  ctx: SimContext,
  node: string,
  type: GuestType,
  vmid: number,
  snapname: string,
  description: string,
  withLock: <T>(fn: () => T) => Promise<T>,
): Promise<void> {
  await withLock(() => {
    const g = loadGuest(ctx, node, type, vmid);
    checkLock(g);
    const s = g.snapshots.get(snapname);
    if (!s) throw die(`snapshot '${snapname}' does not exist`);
    s.description = description;
    ctx.state.touch();
  });
}
