/**
 * Inputs a model might send, per tool: `valid` must pass the declared schema, `invalid` must not.
 * The schema-level checks only: semantic refusals (ambiguity, state) are tested elsewhere.
 */
export interface ToolExamples {
  readonly valid: readonly object[];
  readonly invalid: readonly unknown[];
}

const target = {
  valid: [{ vmid: 100 }, { name: 'web01' }, { vmid: 101, cluster: 'sim', node: 'pve1', type: 'lxc' }],
  invalid: [{ vmid: 99 }, { vmid: 100.5 }, { vmid: '100' }, { vmid: 100, type: 'vm' }, { vmid: 100, node: '../pve1' }, { vmid: 100, force: true }, 'web01', null],
};

const snapshot = (extra: object, invalidExtra: readonly unknown[]): ToolExamples => ({
  valid: [{ vmid: 103, snapshot: 'pre-update', ...extra }, { name: 'build01', snapshot: 'clean' }],
  invalid: [{ vmid: 103 }, { vmid: 103, snapshot: 'x' }, { vmid: 103, snapshot: '1abc' }, { vmid: 103, snapshot: 'a/b' }, { vmid: 103, snapshot: `a${'b'.repeat(40)}` }, ...invalidExtra],
});

export const EXAMPLES: Readonly<Record<string, ToolExamples>> = {
  proxmox_list_clusters: { valid: [{}], invalid: [{ cluster: 'sim' }, []] },
  proxmox_list_guests: {
    valid: [{}, { cluster: 'sim', node: 'pve2', type: 'qemu', state: 'running' }, { includeTemplates: true }],
    invalid: [{ state: 'on' }, { type: 'kvm' }, { node: 'pve 1' }, { includeTemplates: 'yes' }],
  },
  proxmox_find_guest: { valid: [{ vmid: 100 }, { name: 'web' }, { name: 'dns01', cluster: 'homelab' }], invalid: [{ vmid: 12 }, { name: '' }, { node: 'pve1' }] },
  proxmox_get_guest_status: target,
  proxmox_get_guest_config: target,
  proxmox_list_snapshots: target,
  proxmox_get_cluster_status: { valid: [{}, { cluster: 'sim' }], invalid: [{ cluster: 5 }, { node: 'pve1' }] },
  proxmox_get_node_status: { valid: [{ node: 'pve1' }, { node: 'pve2', cluster: 'sim' }], invalid: [{}, { node: 'pve1;reboot' }, { node: 'pve1', vmid: 100 }] },
  proxmox_list_tasks: { valid: [{}, { node: 'pve1', vmid: 100, errorsOnly: true, limit: 5 }], invalid: [{ limit: 0 }, { limit: 51 }, { vmid: 5 }, { errorsOnly: 1 }] },
  proxmox_get_task_log: {
    valid: [{ upid: 'UPID:pve1:000A1B2C:0012D687:6745F00D:qmstart:100:root@pam:' }, { upid: 'UPID:pve2:00000001:00000002:67000000:vzdump::root@pam:', lines: 10, cluster: 'sim' }],
    invalid: [{}, { upid: 'qmstart' }, { upid: 'UPID:pve1:x', lines: 0 }, { upid: 'UPID:pve1:000A1B2C:0012D687:6745F00D:qmstart:100:root@pam:', lines: 501 }],
  },
  proxmox_api_get: {
    valid: [{ path: '/cluster/resources' }, { path: '/cluster/resources', params: { type: 'vm' } }, { path: '/nodes/pve1/status', cluster: 'sim' }],
    invalid: [{}, { path: '' }, { path: '/nodes', params: { limit: 5 } }, { path: '/nodes', method: 'POST' }],
  },
  proxmox_start_guest: target,
  proxmox_shutdown_guest: target,
  proxmox_reboot_guest: target,
  proxmox_stop_guest: target,
  proxmox_reset_guest: target,
  proxmox_pause_guest: target,
  proxmox_hibernate_guest: target,
  proxmox_resume_guest: target,
  proxmox_create_snapshot: snapshot({ description: 'before the update', includeRam: false }, [{ vmid: 103, snapshot: 'ok', includeRam: 'no' }]),
  proxmox_delete_snapshot: snapshot({}, [{ vmid: 103, snapshot: 'clean', start: true }]),
  proxmox_rollback_snapshot: snapshot({ start: true }, [{ vmid: 103, snapshot: 'clean', start: 'yes' }]),
};
