import type { GuestAction } from '../api/client';

/**
 * The language model tools, as `contributes.languageModelTools` names them. VS Code refuses
 * `registerTool` for a name the manifest does not contribute, and the integration tests check
 * both directions.
 */
export const ReadTools = {
  listClusters: 'proxmox_list_clusters',
  listGuests: 'proxmox_list_guests',
  findGuest: 'proxmox_find_guest',
  guestStatus: 'proxmox_get_guest_status',
  guestConfig: 'proxmox_get_guest_config',
  listSnapshots: 'proxmox_list_snapshots',
  clusterStatus: 'proxmox_get_cluster_status',
  nodeStatus: 'proxmox_get_node_status',
  listTasks: 'proxmox_list_tasks',
  taskLog: 'proxmox_get_task_log',
  apiGet: 'proxmox_api_get',
} as const;

/** One tool per action, so that approving "start" in chat never approves "stop". */
export const GuestActionTools: Readonly<Record<GuestAction, string>> = {
  start: 'proxmox_start_guest',
  shutdown: 'proxmox_shutdown_guest',
  reboot: 'proxmox_reboot_guest',
  stop: 'proxmox_stop_guest',
  reset: 'proxmox_reset_guest',
  suspend: 'proxmox_pause_guest',
  hibernate: 'proxmox_hibernate_guest',
  resume: 'proxmox_resume_guest',
};

export const SnapshotTools = {
  create: 'proxmox_create_snapshot',
  delete: 'proxmox_delete_snapshot',
  rollback: 'proxmox_rollback_snapshot',
} as const;

export const READ_TOOL_NAMES: readonly string[] = Object.values(ReadTools);
export const ACTION_TOOL_NAMES: readonly string[] = [...Object.values(GuestActionTools), ...Object.values(SnapshotTools)];
export const ALL_TOOL_NAMES: readonly string[] = [...READ_TOOL_NAMES, ...ACTION_TOOL_NAMES];
