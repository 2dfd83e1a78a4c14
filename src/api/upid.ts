import { PveError } from './errors';

/** A task id as PVE writes it: `UPID:node:pid:pstart:starttime:type:id:user:` (pve-common PVE::UPID). */
export interface Upid {
  readonly upid: string;
  readonly node: string;
  readonly pid: number;
  readonly pstart: number;
  /** Unix seconds. */
  readonly starttime: number;
  readonly type: string;
  /** The guest's VMID for guest tasks; may be empty. */
  readonly id: string;
  /** `user@realm`, or a full token id `user@realm!token` for token-started tasks. */
  readonly user: string;
}

// PVE's own parse regex (NOTES.md §6), anchored; the trailing colon is part of the format.
const UPID_PATTERN =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

export function tryParseUpid(text: string): Upid | undefined {
  if (text.length > 512) return undefined;
  const m = UPID_PATTERN.exec(text);
  if (!m) return undefined;
  const [, node, , pid, pstart, starttime, type, id, user] = m;
  if (!node || !pid || !pstart || !starttime || !type || id === undefined || !user) return undefined;
  return {
    upid: text,
    node,
    pid: parseInt(pid, 16),
    pstart: parseInt(pstart, 16),
    starttime: parseInt(starttime, 16),
    type,
    id,
    user,
  };
}

/** Parses a UPID or throws `invalidInput`: a UPID decides which node is asked, so it is never guessed. */
export function parseUpid(text: string): Upid {
  const parsed = tryParseUpid(text);
  if (!parsed) throw new PveError('invalidInput', 'Not a valid Proxmox task id (UPID).');
  return parsed;
}
