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
  addLocalNode: 'proxmox.cluster.addLocal',
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
  startGuest: 'proxmox.guest.start',
  shutdownGuest: 'proxmox.guest.shutdown',
  rebootGuest: 'proxmox.guest.reboot',
  stopGuest: 'proxmox.guest.stop',
  resetGuest: 'proxmox.guest.reset',
  suspendGuest: 'proxmox.guest.suspend',
  hibernateGuest: 'proxmox.guest.hibernate',
  resumeGuest: 'proxmox.guest.resume',
  createSnapshot: 'proxmox.snapshot.create',
  deleteSnapshot: 'proxmox.snapshot.delete',
  rollbackSnapshot: 'proxmox.snapshot.rollback',
  editSnapshotDescription: 'proxmox.snapshot.editDescription',
  showSnapshotConfig: 'proxmox.snapshot.showConfig',
  diffSnapshot: 'proxmox.snapshot.diff',
  showTaskLog: 'proxmox.task.showLog',
  stopTask: 'proxmox.task.stop',
  getApiPath: 'proxmox.api.get',
  copyAsPvesh: 'proxmox.document.copyAsPvesh',
  copyAsCurl: 'proxmox.document.copyAsCurl',
  refreshDocument: 'proxmox.document.refresh',
  findGuest: 'proxmox.guest.find',
  jumpToGuest: 'proxmox.guest.goTo',
  showGuestConfig: 'proxmox.guest.showConfig',
  showGuestStatus: 'proxmox.guest.showStatus',
  showNodeStatus: 'proxmox.node.showStatus',
  showClusterStatus: 'proxmox.cluster.showStatus',
  showClusterResources: 'proxmox.cluster.showResources',
  showStorageStatus: 'proxmox.storage.showStatus',
  refreshTasks: 'proxmox.tasks.refresh',
  addClusterWithPassword: 'proxmox.cluster.addWithPassword',
  signIn: 'proxmox.cluster.signIn',
  signOut: 'proxmox.cluster.signOut',
  openNodeShell: 'proxmox.node.openShell',
  openGuestShell: 'proxmox.guest.openShell',
  openNodeConsoleInBrowser: 'proxmox.node.openConsoleInBrowser',
  openGuestConsoleInBrowser: 'proxmox.guest.openConsoleInBrowser',
  openNodeInWebUi: 'proxmox.node.openInWebUi',
  openGuestInWebUi: 'proxmox.guest.openInWebUi',
  connectSsh: 'proxmox.guest.connectSsh',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ContextKeys = {
  hasClusters: 'proxmox.hasClusters',
  envImportAvailable: 'proxmox.envImportAvailable',
  pveshAvailable: 'proxmox.pveshAvailable',
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
  relaxConfirmations: 'confirm.relaxNonDestructive',
  taskWaitMinutes: 'tasks.waitMinutes',
  agentToolsEnabled: 'agentTools.enabled',
  agentToolsAllowActions: 'agentTools.allowActions',
  sshPath: 'ssh.path',
} as const;
