/** Every id the manifest and the code share. `test/integration/activation.test.ts` checks both directions. */
export const EXTENSION_ID = 'pve-tools.proxmox-ve';

export const VIEW_CONTAINER_ID = 'proxmox';

export const Views = {
  clusters: 'proxmox.clusters',
  tasks: 'proxmox.tasks',
} as const;

export const Commands = {
  addCluster: 'proxmox.cluster.add',
  importFromEnv: 'proxmox.cluster.importFromEnv',
  editCluster: 'proxmox.cluster.edit',
  renameCluster: 'proxmox.cluster.rename',
  removeCluster: 'proxmox.cluster.remove',
  updateToken: 'proxmox.cluster.updateToken',
  trustCertificate: 'proxmox.cluster.trustCertificate',
  testConnection: 'proxmox.cluster.testConnection',
  refreshCluster: 'proxmox.cluster.refresh',
  refreshClusters: 'proxmox.clusters.refresh',
  filter: 'proxmox.clusters.filter',
  clearFilter: 'proxmox.clusters.clearFilter',
  groupBy: 'proxmox.clusters.groupBy',
  showLog: 'proxmox.showLog',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ContextKeys = {
  hasClusters: 'proxmox.hasClusters',
  envImportAvailable: 'proxmox.envImportAvailable',
  filterActive: 'proxmox.filterActive',
} as const;

export const Settings = {
  section: 'proxmox',
  clusters: 'clusters',
  refreshInterval: 'refreshInterval',
  groupBy: 'tree.groupBy',
  description: 'tree.description',
  showTemplates: 'tree.showTemplates',
  showStorage: 'tree.showStorage',
} as const;
