import * as z from 'zod/mini';
import { bool01, int, num, text, vmid } from './primitives';

/** `…/status/current` for QEMU and LXC (NOTES.md §8). A paused VM is status running + qmpstatus paused. */
export const guestStatusSchema = z.looseObject({
  vmid: z.optional(vmid),
  status: z.string(),
  name: z.optional(text),
  qmpstatus: z.optional(z.string()),
  lock: z.optional(z.string()),
  template: z.optional(bool01),
  uptime: z.optional(num),
  cpu: z.optional(num),
  cpus: z.optional(num),
  mem: z.optional(num),
  maxmem: z.optional(num),
  disk: z.optional(num),
  maxdisk: z.optional(num),
  tags: z.optional(text),
  agent: z.optional(bool01),
  pid: z.optional(int),
  ha: z.optional(z.looseObject({ managed: z.optional(bool01), state: z.optional(z.string()), group: z.optional(z.string()) })),
});
export type GuestStatus = z.output<typeof guestStatusSchema>;

/**
 * Guest config is an open set of keys; values are mostly strings or numbers, but raw LXC keys
 * arrive as a list of pairs (`lxc: [["lxc.mount.entry", "…"]]`, recorded from a real server).
 */
export const guestConfigSchema = z.record(z.string(), z.unknown());
export type GuestConfig = z.output<typeof guestConfigSchema>;

/** One entry of `…/snapshot`, including the synthetic `current` ("You are here!"), NOTES.md §10. */
export const snapshotSchema = z.looseObject({
  name: text,
  snaptime: z.optional(int),
  description: z.optional(text),
  parent: z.optional(text),
  vmstate: z.optional(bool01),
  snapstate: z.optional(z.string()),
  running: z.optional(bool01),
  digest: z.optional(z.string()),
});
export type Snapshot = z.output<typeof snapshotSchema>;
