import * as z from 'zod/mini';
import { bool01, int, nodeName, num, text, usageFields } from './primitives';

export const versionSchema = z.looseObject({
  version: text,
  release: z.optional(text),
  repoid: z.optional(text),
});
export type PveVersion = z.output<typeof versionSchema>;

export const nodeListItemSchema = z.looseObject({
  node: nodeName,
  status: z.string(),
  level: z.optional(z.string()),
  ssl_fingerprint: z.optional(z.string()),
  ...usageFields,
});
export type NodeListItem = z.output<typeof nodeListItemSchema>;

export const clusterStatusItemSchema = z.looseObject({
  type: z.string(),
  id: z.optional(z.string()),
  name: text,
  nodes: z.optional(int),
  quorate: z.optional(bool01),
  version: z.optional(int),
  nodeid: z.optional(int),
  ip: z.optional(z.string()),
  online: z.optional(bool01),
  local: z.optional(bool01),
  level: z.optional(z.string()),
});
export type ClusterStatusItem = z.output<typeof clusterStatusItemSchema>;

const memorySchema = z.looseObject({ total: z.optional(num), used: z.optional(num), free: z.optional(num), available: z.optional(num) });

export const nodeStatusSchema = z.looseObject({
  uptime: z.optional(num),
  cpu: z.optional(num),
  wait: z.optional(num),
  loadavg: z.optional(z.array(num)),
  memory: z.optional(memorySchema),
  swap: z.optional(memorySchema),
  rootfs: z.optional(memorySchema),
  cpuinfo: z.optional(z.looseObject({ cpus: z.optional(num), cores: z.optional(num), sockets: z.optional(num), model: z.optional(text) })),
  pveversion: z.optional(text),
  kversion: z.optional(text),
});
export type NodeStatus = z.output<typeof nodeStatusSchema>;

export const storageConfigSchema = z.looseObject({
  storage: z.string(),
  type: z.string(),
  content: z.optional(z.string()),
  shared: z.optional(bool01),
  nodes: z.optional(z.string()),
  disable: z.optional(bool01),
});
export type StorageConfig = z.output<typeof storageConfigSchema>;

export const nodeStorageSchema = z.looseObject({
  storage: z.string(),
  type: z.string(),
  content: z.optional(z.string()),
  active: z.optional(bool01),
  enabled: z.optional(bool01),
  shared: z.optional(bool01),
  total: z.optional(num),
  used: z.optional(num),
  avail: z.optional(num),
  used_fraction: z.optional(num),
});
export type NodeStorage = z.output<typeof nodeStorageSchema>;
