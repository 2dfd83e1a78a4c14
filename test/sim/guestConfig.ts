// Guest config helpers: the .conf text (whose SHA-1 is the `digest`), disk sizes, the snapshot copy
// rules of pve-guest-common AbstractConfig (NOTES.md §10) and the storage snapshot capability.
import { createHash } from 'node:crypto';
import type { ConfigValue, GuestConfig, GuestType, SimGuest, SimStorage } from './model';

/** Keys that __snapshot_copy_config never copies between the live config and a snapshot. */
const SNAPSHOT_EXCLUDED = new Set(['snapshots', 'snapstate', 'snaptime', 'vmstate', 'lock', 'digest', 'description']);

/** AbstractConfig::__snapshot_copy_config. */
export function copySnapshotConfig(source: GuestConfig, dest: GuestConfig): void {
  for (const [k, v] of Object.entries(source)) {
    if (SNAPSHOT_EXCLUDED.has(k) || /^unused\d+$/.test(k)) continue;
    dest[k] = v;
  }
}

/** AbstractConfig::__snapshot_apply_config: the rollback result (keeps description and unused disks). */
export function applySnapshotConfig(current: GuestConfig, snap: GuestConfig): GuestConfig {
  const next: GuestConfig = {};
  for (const [k, v] of Object.entries(current)) {
    if (k === 'description' || /^unused\d+$/.test(k)) next[k] = v;
  }
  copySnapshotConfig(snap, next);
  return next;
}

function confLines(conf: GuestConfig): string {
  let text = '';
  const description = conf.description;
  if (description !== undefined) {
    for (const line of String(description).split('\n')) text += `#${line}\n`;
  }
  for (const key of Object.keys(conf).sort()) {
    if (key === 'description' || key === 'digest') continue;
    text += `${key}: ${String(conf[key])}\n`;
  }
  return text;
}

/** The guest's config file text: main section, then one [section] per snapshot. */
export function configText(guest: SimGuest): string {
  let text = confLines(guest.config);
  for (const [name, snap] of guest.snapshots) text += `\n[${name}]\n${confLines(snap)}`;
  return text;
}

/** SHA-1 of the config file, what PVE returns as `digest` (config GET, snapshot `current`). */
export function configDigest(guest: SimGuest): string {
  return createHash('sha1').update(configText(guest)).digest('hex');
}

/** PVE::JSONSchema::parse_size for `size=32G` style values; bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT](?:iB)?)?$/.exec(text);
  if (!m?.[1]) return undefined;
  const unit = (m[2] ?? '').charAt(0);
  const factor = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[unit] ?? 1;
  return Math.trunc(Number(m[1]) * factor);
}

const QEMU_DISK_RE = /^(ide|sata|scsi|virtio|efidisk|tpmstate)\d+$/;
const LXC_DISK_RE = /^(rootfs|mp\d+)$/;

export interface DiskRef {
  readonly key: string;
  readonly volid: string;
  readonly size: number;
}

/** Disks (not CD-ROMs, not passthrough) of a config. */
export function configDisks(type: GuestType, conf: GuestConfig): DiskRef[] {
  const res: DiskRef[] = [];
  for (const [key, value] of Object.entries(conf)) {
    if (!(type === 'qemu' ? QEMU_DISK_RE : LXC_DISK_RE).test(key)) continue;
    const text = String(value);
    if (/media=cdrom/.test(text)) continue;
    const volid = text.split(',')[0] ?? '';
    if (volid === 'none' || volid.startsWith('/')) continue;
    const sizeText = /(?:^|,)size=([^,]+)/.exec(text)?.[1];
    res.push({ key, volid, size: sizeText !== undefined ? parseSize(sizeText) ?? 0 : 0 });
  }
  return res;
}

const bootDiskCache = new WeakMap<GuestConfig, number>();

/** Forget cached derived values after a config object was edited in place. */
export function invalidateConfigCache(conf: GuestConfig): void {
  bootDiskCache.delete(conf);
}

/** QemuServer::Drive::bootdisk_size: the first disk in the boot order (or the first disk). */
export function bootDiskSize(type: GuestType, conf: GuestConfig): number {
  const cached = bootDiskCache.get(conf);
  if (cached !== undefined) return cached;
  const size = computeBootDiskSize(type, conf);
  bootDiskCache.set(conf, size);
  return size;
}

function computeBootDiskSize(type: GuestType, conf: GuestConfig): number {
  const disks = configDisks(type, conf);
  if (type === 'lxc') return disks.find((d) => d.key === 'rootfs')?.size ?? 4 * 1024 ** 3;
  const order = /order=([^,]+)/.exec(String(conf.boot ?? ''))?.[1]?.split(';') ?? [];
  for (const key of order) {
    const disk = disks.find((d) => d.key === key);
    if (disk) return disk.size;
  }
  return disks[0]?.size ?? 0;
}

/**
 * has_feature('snapshot'): every volume's storage must support snapshots (lvmthin, zfs, rbd, or a
 * qcow2 file on a directory/NFS storage). A raw file on `local` cannot snapshot.
 */
export function canSnapshot(type: GuestType, conf: GuestConfig, storages: readonly SimStorage[]): boolean {
  for (const disk of configDisks(type, conf)) {
    const storeid = disk.volid.split(':')[0] ?? '';
    const storage = storages.find((s) => s.storage === storeid);
    if (!storage) return false;
    switch (storage.type) {
      case 'lvmthin':
      case 'zfspool':
      case 'rbd':
      case 'btrfs':
        break;
      case 'dir':
      case 'nfs':
      case 'cifs':
      case 'cephfs':
        if (!disk.volid.endsWith('.qcow2') && type === 'qemu') return false;
        if (type === 'lxc') return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Name shown in lists: QEMU `name` or "VM <vmid>", LXC `hostname` (whitespace removed) or "CT<vmid>". */
export function guestName(guest: SimGuest): string {
  if (guest.type === 'qemu') {
    const name = guest.config.name;
    return name !== undefined && name !== '' ? String(name) : `VM ${guest.vmid}`;
  }
  const host = guest.config.hostname;
  return host !== undefined && host !== '' ? String(host).replace(/\s/g, '') : `CT${guest.vmid}`;
}

/** Memory in MiB: QEMU `memory` is a property string ("[current=]<MiB>"), LXC an integer. */
export function memoryMiB(guest: SimGuest): number {
  const raw = guest.config.memory;
  if (raw === undefined) return guest.type === 'qemu' ? 2048 : 512;
  const m = /(?:^|current=)(\d+)/.exec(String(raw));
  return m?.[1] !== undefined ? Number(m[1]) : 512;
}

export function cpuCount(guest: SimGuest, nodeCpus: number): number {
  const c = guest.config;
  if (guest.type === 'qemu') {
    if (c.vcpus !== undefined) return Number(c.vcpus);
    const n = Number(c.sockets ?? 1) * Number(c.cores ?? 1);
    return Math.min(n, nodeCpus);
  }
  const n = Number(c.cores ?? c.cpulimit ?? 0);
  return n > 0 ? n : nodeCpus;
}

export function isTemplate(conf: GuestConfig): boolean {
  const t = conf.template;
  return t !== undefined && String(t) === '1';
}

export function configString(conf: GuestConfig, key: string): string | undefined {
  const v: ConfigValue | undefined = conf[key];
  return v === undefined ? undefined : String(v);
}
