// The seeded demo cluster: 3 nodes, 14 guests in every state the extension has to show (running,
// stopped, paused, hibernated, locked by a backup, templates, HA-managed), tags, pools,
// descriptions, snapshot trees (with a branch and a RAM snapshot), per-node and shared storage,
// and the users/tokens the tests need (admin, read-only, operator, snapshot-only, pool-scoped,
// no-privsep, expired, disabled user, a TOTP user). Deterministic for a given seed.
import type { AclSpec, ClusterSpec, GuestConfig, GuestSpec, TaskHistorySpec, UserSpec } from './model';
import { createRng, hashString } from './rng';

export interface DemoClusterOptions {
  /** Nodes that start offline (e.g. ['pve3']); pve1 serves the API and is always online. */
  readonly offlineNodes?: readonly string[];
  /** Put markup (`[x](command:…)`, `<img …>`) into a description and a snapshot note (default true). */
  readonly markup?: boolean;
  readonly seed?: number;
}

/** Markup used for the "server text is untrusted" tests (SECURITY.md scenario 24). */
export const DEMO_MARKUP = '[x](command:workbench.action.quit) <img src=x onerror=alert(1)> **bold**';

/** The TOTP secret of alice@pve (base32). */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const DEMO_PASSWORDS: Readonly<Record<string, string>> = {
  'root@pam': 'pve-sim-root',
  'alice@pve': 'alice-sim-password',
  'automation@pve': 'automation-sim-password',
};

function mac(vmid: number, nic: number): string {
  const h = hashString(`mac:${vmid}:${nic}`);
  const b = [(h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff].map((x) => x.toString(16).toUpperCase().padStart(2, '0'));
  return `BC:24:11:${b.join(':')}`;
}

function uuid(seed: string): string {
  const rng = createRng(hashString(seed));
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface QemuOpts {
  readonly name: string;
  readonly cores?: number;
  readonly memory?: number;
  readonly diskGiB?: number;
  readonly storage?: string;
  readonly raw?: boolean;
  readonly ostype?: string;
  readonly extra?: GuestConfig;
}

export function qemuConfig(vmid: number, o: QemuOpts): GuestConfig {
  const storage = o.storage ?? 'local-lvm';
  const disk = o.raw
    ? `${storage}:${vmid}/vm-${vmid}-disk-0.raw,size=${o.diskGiB ?? 32}G`
    : `${storage}:vm-${vmid}-disk-0,iothread=1,size=${o.diskGiB ?? 32}G`;
  return {
    name: o.name,
    boot: 'order=scsi0;ide2;net0',
    cores: o.cores ?? 2,
    sockets: 1,
    cpu: 'x86-64-v2-AES',
    memory: String(o.memory ?? 2048),
    numa: 0,
    ostype: o.ostype ?? 'l26',
    scsihw: 'virtio-scsi-single',
    scsi0: disk,
    ide2: 'none,media=cdrom',
    net0: `virtio=${mac(vmid, 0)},bridge=vmbr0,firewall=1`,
    agent: '1',
    smbios1: `uuid=${uuid(`smbios:${vmid}`)}`,
    vmgenid: uuid(`vmgenid:${vmid}`),
    meta: 'creation-qemu=9.2.0,ctime=1740000000',
    onboot: 1,
    ...o.extra,
  };
}

interface LxcOpts {
  readonly hostname: string;
  readonly cores?: number;
  readonly memory?: number;
  readonly diskGiB?: number;
  readonly ostype?: string;
  readonly extra?: GuestConfig;
}

export function lxcConfig(vmid: number, o: LxcOpts): GuestConfig {
  return {
    arch: 'amd64',
    cores: o.cores ?? 1,
    hostname: o.hostname,
    memory: o.memory ?? 512,
    swap: 512,
    net0: `name=eth0,bridge=vmbr0,firewall=1,hwaddr=${mac(vmid, 0)},ip=dhcp,type=veth`,
    ostype: o.ostype ?? 'debian',
    rootfs: `local-lvm:vm-${vmid}-disk-0,size=${o.diskGiB ?? 8}G`,
    unprivileged: 1,
    features: 'nesting=1',
    onboot: 1,
    ...o.extra,
  };
}

function demoGuests(markup: boolean): GuestSpec[] {
  const sandboxDescription = markup ? `Sandbox for untrusted text.\n${DEMO_MARKUP}` : 'Sandbox VM';
  return [
    {
      vmid: 100, type: 'qemu', node: 'pve1', status: 'running', pool: 'prod', ha: { state: 'started' },
      // A serial socket for the xterm.js/termproxy terminal (`qm terminal`), and two addresses on
      // eth0 plus a docker bridge, so that "Connect via SSH" has a choice to offer.
      config: qemuConfig(100, { name: 'web01', cores: 2, memory: 2048, extra: { tags: 'prod;web', description: 'Public web frontend (nginx).', serial0: 'socket' } }),
      network: [
        { name: 'lo', mac: '00:00:00:00:00:00', addresses: ['127.0.0.1/8', '::1/128'] },
        { name: 'eth0', mac: mac(100, 0).toLowerCase(), addresses: ['10.0.0.100/24', '2001:db8::100/64', 'fe80::be24:11ff:fe00:100/64'] },
        { name: 'docker0', mac: '02:42:8c:1a:00:01', addresses: ['172.17.0.1/16'] },
      ],
      snapshots: [
        { name: 'base', description: 'fresh install' },
        { name: 'updates', description: 'before apt upgrade', vmstate: true },
      ],
    },
    {
      vmid: 101, type: 'lxc', node: 'pve1', status: 'running', pool: 'prod',
      config: lxcConfig(101, { hostname: 'dns01', extra: { tags: 'infra;dns' } }),
      snapshots: [{ name: 'pre-update', description: 'before unbound 1.22' }],
    },
    {
      vmid: 102, type: 'qemu', node: 'pve1', status: 'running', pool: 'prod',
      config: qemuConfig(102, { name: 'db01', cores: 4, memory: 8192, diskGiB: 100, extra: { tags: 'prod;db', description: 'PostgreSQL 16 primary' } }),
      snapshots: [
        { name: 'install', description: 'OS installed' },
        { name: 'pre-upgrade', description: 'before PostgreSQL 16', parent: 'install' },
        { name: 'experiment', description: 'try the new planner', parent: 'install' },
        { name: 'post-upgrade', description: 'PostgreSQL 16 running', parent: 'pre-upgrade' },
      ],
      parent: 'post-upgrade',
    },
    {
      vmid: 103, type: 'qemu', node: 'pve2', status: 'stopped', pool: 'dev',
      config: qemuConfig(103, { name: 'build01', cores: 8, memory: 16384, diskGiB: 200, extra: { tags: 'ci' } }),
      snapshots: [{ name: 'clean', description: 'toolchain installed' }],
    },
    {
      vmid: 104, type: 'qemu', node: 'pve2', status: 'paused', pool: 'dev',
      config: qemuConfig(104, { name: 'win11', cores: 4, memory: 8192, diskGiB: 64, ostype: 'win11', extra: { tags: 'desktop', bios: 'ovmf' } }),
    },
    {
      vmid: 105, type: 'qemu', node: 'pve2', status: 'hibernated',
      config: qemuConfig(105, { name: 'legacy-app', memory: 4096, extra: { description: 'Hibernated to disk; resume with start.' } }),
    },
    {
      vmid: 106, type: 'lxc', node: 'pve2', status: 'running',
      config: lxcConfig(106, { hostname: 'monitoring', memory: 1024, extra: { tags: 'infra', lock: 'backup' } }),
    },
    {
      vmid: 107, type: 'lxc', node: 'pve2', status: 'stopped', ha: { state: 'stopped' },
      config: lxcConfig(107, { hostname: 'cache01', extra: { tags: 'infra;ha' } }),
    },
    {
      vmid: 108, type: 'qemu', node: 'pve3', status: 'running', ha: { state: 'started' }, pool: 'prod',
      config: qemuConfig(108, { name: 'k8s-node1', cores: 4, memory: 8192, diskGiB: 64, extra: { tags: 'k8s;prod' } }),
    },
    {
      vmid: 109, type: 'lxc', node: 'pve3', status: 'running',
      config: lxcConfig(109, { hostname: 'pihole', extra: { tags: 'dns' } }),
    },
    {
      vmid: 110, type: 'qemu', node: 'pve1', status: 'stopped', pool: 'dev',
      config: qemuConfig(110, { name: 'sandbox', memory: 1024, diskGiB: 16, extra: { description: sandboxDescription, tags: 'test' } }),
      snapshots: [{ name: 'demo', description: markup ? `note: ${DEMO_MARKUP}` : 'demo' }],
    },
    {
      vmid: 111, type: 'qemu', node: 'pve1', status: 'stopped',
      config: qemuConfig(111, { name: 'appliance', memory: 1024, storage: 'local', raw: true, extra: { description: 'Raw disk on a directory storage: no snapshots.' } }),
    },
    {
      vmid: 9000, type: 'qemu', node: 'pve2', status: 'stopped',
      config: qemuConfig(9000, { name: 'tpl-debian12', cores: 1, memory: 1024, diskGiB: 10, extra: { template: 1, tags: 'template' } }),
    },
    {
      vmid: 9001, type: 'lxc', node: 'pve1', status: 'stopped',
      config: lxcConfig(9001, { hostname: 'tpl-alpine', diskGiB: 2, ostype: 'alpine', extra: { template: 1 } }),
    },
  ];
}

function demoUsers(): { users: UserSpec[]; acl: AclSpec[] } {
  const users: UserSpec[] = [
    { userid: 'root@pam', password: DEMO_PASSWORDS['root@pam'] },
    {
      userid: 'automation@pve',
      password: DEMO_PASSWORDS['automation@pve'],
      tokens: [
        { name: 'admin', privsep: true, comment: 'all privileges on /' },
        { name: 'full', privsep: false, comment: 'no privilege separation' },
      ],
    },
    { userid: 'auditor@pve', tokens: [{ name: 'readonly', privsep: true }, { name: 'expired', privsep: true, expire: 1700000000 }] },
    { userid: 'operator@pve', tokens: [{ name: 'power', privsep: true }] },
    { userid: 'snapper@pve', tokens: [{ name: 'snap', privsep: true }] },
    { userid: 'dev@pve', tokens: [{ name: 'ci', privsep: true }] },
    { userid: 'former@pve', enable: false, tokens: [{ name: 'old', privsep: false }] },
    {
      userid: 'alice@pve',
      password: DEMO_PASSWORDS['alice@pve'],
      totp: { secret: DEMO_TOTP_SECRET, recovery: ['1a2b-3c4d-5e6f-7a8b', '9c0d-1e2f-3a4b-5c6d'] },
    },
  ];
  const acl: AclSpec[] = [
    { path: '/', ugid: 'automation@pve', type: 'user', roleid: 'Administrator' },
    { path: '/', ugid: 'automation@pve!admin', type: 'token', roleid: 'Administrator' },
    { path: '/', ugid: 'auditor@pve', type: 'user', roleid: 'PVEAuditor' },
    { path: '/', ugid: 'auditor@pve!readonly', type: 'token', roleid: 'PVEAuditor' },
    { path: '/', ugid: 'auditor@pve!expired', type: 'token', roleid: 'PVEAuditor' },
    { path: '/', ugid: 'operator@pve', type: 'user', roleid: 'PVEVMUser' },
    { path: '/', ugid: 'operator@pve', type: 'user', roleid: 'PVEAuditor' },
    { path: '/', ugid: 'operator@pve!power', type: 'token', roleid: 'PVEAuditor' },
    { path: '/vms', ugid: 'operator@pve!power', type: 'token', roleid: 'VMOperator' },
    { path: '/', ugid: 'snapper@pve', type: 'user', roleid: 'PVEVMAdmin' },
    { path: '/vms', ugid: 'snapper@pve!snap', type: 'token', roleid: 'SnapshotOperator' },
    { path: '/pool/dev', ugid: 'dev@pve', type: 'user', roleid: 'PVEVMAdmin' },
    { path: '/pool/dev', ugid: 'dev@pve!ci', type: 'token', roleid: 'PVEVMUser' },
    { path: '/', ugid: 'former@pve', type: 'user', roleid: 'Administrator' },
    { path: '/', ugid: 'alice@pve', type: 'user', roleid: 'PVEAuditor' },
    { path: '/vms', ugid: 'alice@pve', type: 'user', roleid: 'PVEVMUser' },
  ];
  return { users, acl };
}

function demoTaskHistory(): TaskHistorySpec[] {
  return [
    { node: 'pve1', type: 'vzdump', id: '', user: 'root@pam', agoSec: 2 * 86400, durationSec: 433, status: 'OK', log: ['INFO: starting new backup job: vzdump --mode snapshot --all 1 --storage nas', 'INFO: Backup job finished successfully'] },
    { node: 'pve1', type: 'qmstart', id: '100', user: 'root@pam', agoSec: 86400 + 3600, durationSec: 2, status: 'OK' },
    { node: 'pve1', type: 'qmsnapshot', id: '100', user: 'automation@pve!admin', agoSec: 86400, durationSec: 5, status: 'OK', log: ["snapshotting 'drive-scsi0' (local-lvm:vm-100-disk-0)"] },
    { node: 'pve2', type: 'vzdump', id: '106', user: 'root@pam', agoSec: 40000, durationSec: 120, status: 'WARNINGS: 1', log: ['INFO: Starting Backup of VM 106 (lxc)', 'WARN: some files vanished during backup'] },
    { node: 'pve2', type: 'qmstart', id: '103', user: 'dev@pve!ci', agoSec: 20000, durationSec: 1, status: "can't lock file '/var/lock/qemu-server/lock-103.conf' - got timeout" },
    { node: 'pve3', type: 'srvreload', id: 'networking', user: 'root@pam', agoSec: 90000, durationSec: 1, status: 'OK' },
  ];
}

export function demoCluster(opts: DemoClusterOptions = {}): ClusterSpec {
  const offline = new Set(opts.offlineNodes ?? []);
  offline.delete('pve1');
  const { users, acl } = demoUsers();
  return {
    clusterName: 'homelab',
    seed: opts.seed ?? 42,
    nodes: [
      { name: 'pve1', maxcpu: 16, maxmem: 67430023168, level: '' },
      { name: 'pve2', maxcpu: 16, maxmem: 67430023168, level: '' },
      { name: 'pve3', maxcpu: 8, maxmem: 33605246976, cpuModel: 'Intel(R) N100', online: !offline.has('pve3') },
    ],
    storages: [
      { storage: 'local', type: 'dir', content: 'iso,vztmpl,backup,images', extra: { path: '/var/lib/vz' }, totalBytes: 100861726720, usedFraction: 0.31 },
      { storage: 'local-lvm', type: 'lvmthin', content: 'images,rootdir', extra: { thinpool: 'data', vgname: 'pve' }, totalBytes: 366503875584, usedFraction: 0.22 },
      { storage: 'nas', type: 'nfs', content: 'images,backup,iso', shared: true, extra: { server: '192.168.100.5', export: '/srv/pve', path: '/mnt/pve/nas', options: 'vers=4.2' }, totalBytes: 1915211874304, usedFraction: 0.61 },
    ],
    pools: [{ poolid: 'prod', comment: 'production' }, { poolid: 'dev', comment: 'development' }],
    roles: [
      { roleid: 'VMOperator', privs: ['VM.Audit', 'VM.PowerMgmt'] },
      { roleid: 'SnapshotOperator', privs: ['VM.Audit', 'VM.Snapshot', 'VM.Snapshot.Rollback'] },
    ],
    guests: demoGuests(opts.markup ?? true),
    users,
    acl,
    taskHistory: demoTaskHistory(),
  };
}

/** Token ids of the demo cluster by role, as `startSimulator` returns them in `tokens`. */
export const DEMO_TOKEN_IDS = {
  admin: 'automation@pve!admin',
  readonly: 'auditor@pve!readonly',
  operator: 'operator@pve!power',
  snapshot: 'snapper@pve!snap',
  pool: 'dev@pve!ci',
  noPrivsep: 'automation@pve!full',
  expired: 'auditor@pve!expired',
  disabledUser: 'former@pve!old',
} as const;
