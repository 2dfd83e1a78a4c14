import { PveError } from './errors';
import { tryParseUpid } from './upid';

/**
 * Validated, encoded API paths. Validation comes first because encoding alone is not enough:
 * pveproxy decodes `%2F` before it splits the path (SECURITY.md, Input).
 */
export type GuestType = 'qemu' | 'lxc';

export interface GuestRef {
  readonly node: string;
  readonly type: GuestType;
  readonly vmid: number;
}

const NODE_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const VMID_PATTERN = /^[1-9][0-9]{2,8}$/;
const SNAPSHOT_PATTERN = /^[a-z][a-z0-9_-]+$/i;
const STORAGE_PATTERN = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const RESERVED_SNAPSHOT_NAMES = new Set(['current', 'pending', 'vzdump']);

export function isValidNodeName(node: string): boolean {
  return node.length <= 63 && NODE_PATTERN.test(node);
}

export function isValidVmid(vmid: number | string): boolean {
  const text = typeof vmid === 'number' ? String(vmid) : vmid;
  return VMID_PATTERN.test(text) && Number(text) <= 999_999_999;
}

export type SnapshotNameProblem = 'empty' | 'tooLong' | 'tooShort' | 'pattern' | 'reserved';

/** PVE's `pve-configid` rules plus the reserved names (NOTES.md §10). */
export function snapshotNameProblem(name: string): SnapshotNameProblem | undefined {
  if (name.length === 0) return 'empty';
  if (name.length > 40) return 'tooLong';
  if (name.length < 2) return 'tooShort';
  if (!SNAPSHOT_PATTERN.test(name)) return 'pattern';
  if (RESERVED_SNAPSHOT_NAMES.has(name.toLowerCase())) return 'reserved';
  return undefined;
}

export function isValidStorageId(storage: string): boolean {
  return storage.length <= 100 && STORAGE_PATTERN.test(storage);
}

function invalid(what: string): PveError {
  return new PveError('invalidInput', `Invalid ${what}.`);
}

export function checkNode(node: string): string {
  if (!isValidNodeName(node)) throw invalid('node name');
  return encodeURIComponent(node);
}

export function checkVmid(vmid: number): string {
  if (!Number.isInteger(vmid) || !isValidVmid(vmid)) throw invalid('VMID');
  return String(vmid);
}

export function checkGuestType(type: string): GuestType {
  if (type !== 'qemu' && type !== 'lxc') throw invalid('guest type');
  return type;
}

export function checkSnapshotName(name: string): string {
  // `current` is a valid path segment for reading but never a snapshot to act on.
  if (snapshotNameProblem(name) !== undefined) throw invalid('snapshot name');
  return encodeURIComponent(name);
}

export function checkStorage(storage: string): string {
  if (!isValidStorageId(storage)) throw invalid('storage id');
  return encodeURIComponent(storage);
}

export function guestPath(ref: GuestRef): string {
  return `/nodes/${checkNode(ref.node)}/${checkGuestType(ref.type)}/${checkVmid(ref.vmid)}`;
}

export function snapshotPath(ref: GuestRef, name: string): string {
  return `${guestPath(ref)}/snapshot/${checkSnapshotName(name)}`;
}

/** Task paths are built from the UPID's own node: PVE answers 400 "no such task" elsewhere. */
export function taskPath(upid: string): string {
  const parsed = tryParseUpid(upid);
  if (!parsed) throw invalid('task id');
  return `/nodes/${checkNode(parsed.node)}/tasks/${encodeURIComponent(upid)}`;
}
