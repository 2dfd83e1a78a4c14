import type { GuestType } from '../api/paths';
import type { ClusterResources, GuestResource, NodeResource, StorageResource } from '../api/schemas/resources';
import { powerState, type PowerState } from './guestState';

/** One guest as the tree, the commands and the agent tools see it. */
export interface GuestEntry {
  /** `qemu/100`: unique in a cluster, stable across migrations. */
  readonly key: string;
  readonly vmid: number;
  readonly type: GuestType;
  readonly node: string;
  readonly name: string | undefined;
  readonly power: PowerState;
  readonly tags: readonly string[];
  readonly resource: GuestResource;
}

export interface NodeEntry {
  readonly name: string;
  readonly online: boolean;
  readonly resource: NodeResource;
}

/** An immutable picture of a cluster from one `/cluster/resources` answer. */
export interface ClusterIndex {
  readonly nodes: ReadonlyMap<string, NodeEntry>;
  readonly guests: ReadonlyMap<string, GuestEntry>;
  readonly guestsByNode: ReadonlyMap<string, readonly GuestEntry[]>;
  readonly storagesByNode: ReadonlyMap<string, readonly StorageResource[]>;
}

/** PVE stores tags `;`-separated, but its parser also splits on `,` and spaces (NOTES.md §7). */
export function parseTags(tags: string | undefined): string[] {
  if (!tags) return [];
  return [...new Set(tags.split(/[;,\s]+/).map((t) => t.trim()).filter(Boolean))];
}

export function guestKey(type: GuestType, vmid: number): string {
  return `${type}/${vmid}`;
}

export function toGuestEntry(resource: GuestResource): GuestEntry {
  return {
    key: guestKey(resource.type, resource.vmid),
    vmid: resource.vmid,
    type: resource.type,
    node: resource.node,
    name: resource.name,
    power: powerState({ type: resource.type, status: resource.status, lock: resource.lock, template: resource.template, hastate: resource.hastate }),
    tags: parseTags(resource.tags),
    resource,
  };
}

export function indexResources(resources: ClusterResources): ClusterIndex {
  const nodes = new Map<string, NodeEntry>();
  for (const node of resources.nodes) {
    nodes.set(node.node, { name: node.node, online: node.status === 'online', resource: node });
  }
  const guests = new Map<string, GuestEntry>();
  const guestsByNode = new Map<string, GuestEntry[]>();
  for (const resource of resources.guests) {
    const entry = toGuestEntry(resource);
    guests.set(entry.key, entry);
    let list = guestsByNode.get(entry.node);
    if (!list) guestsByNode.set(entry.node, (list = []));
    list.push(entry);
  }
  for (const list of guestsByNode.values()) list.sort((a, b) => a.vmid - b.vmid);
  const storagesByNode = new Map<string, StorageResource[]>();
  for (const storage of resources.storages) {
    let list = storagesByNode.get(storage.node);
    if (!list) storagesByNode.set(storage.node, (list = []));
    list.push(storage);
  }
  for (const list of storagesByNode.values()) list.sort((a, b) => a.storage.localeCompare(b.storage));
  return { nodes, guests, guestsByNode, storagesByNode };
}

/** Looks a guest up by VMID alone: the type and node come from the cluster, never from a guess. */
export function findGuestByVmid(index: ClusterIndex, vmid: number): GuestEntry | undefined {
  return index.guests.get(guestKey('qemu', vmid)) ?? index.guests.get(guestKey('lxc', vmid));
}

export function sortedNodeNames(index: ClusterIndex): string[] {
  const names = new Set([...index.nodes.keys(), ...index.guestsByNode.keys()]);
  return [...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}
