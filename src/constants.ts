/** Every id the manifest and the code share. `test/integration/manifest.test.ts` checks both directions. */
export const EXTENSION_ID = 'pve-tools.proxmox-ve';

export const VIEW_CONTAINER_ID = 'proxmox';

export const Views = {
  clusters: 'proxmox.clusters',
  tasks: 'proxmox.tasks',
} as const;

export const Commands = {
  addCluster: 'proxmox.cluster.add',
  refreshClusters: 'proxmox.clusters.refresh',
  showLog: 'proxmox.showLog',
} as const;

export const ContextKeys = {
  hasClusters: 'proxmox.hasClusters',
} as const;

export const Settings = {
  section: 'proxmox',
} as const;
