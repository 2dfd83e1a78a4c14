// Data shapes of the simulated cluster: the *Spec types describe a cluster to start with (the demo
// cluster, the big-cluster generator, a test's own fixture); the Sim* types are the live, mutable
// model that the routes read and the tasks change.

export type GuestType = 'qemu' | 'lxc';
/** Guest config values as PVE returns them: integers/booleans as numbers, everything else as text. */
export type ConfigValue = string | number;
export type GuestConfig = Record<string, ConfigValue>;

export type GuestStartState = 'running' | 'stopped' | 'paused' | 'hibernated';

export interface SnapshotSpec {
  readonly name: string;
  readonly description?: string;
  /** Unix seconds; defaults to a time before the simulator start. */
  readonly snaptime?: number;
  /** QEMU only: the snapshot includes RAM (config gets a `vmstate` volume). */
  readonly vmstate?: boolean;
  /** Parent snapshot; defaults to the previous entry in the list (a chain). */
  readonly parent?: string | null;
}

export interface GuestBehaviour {
  /** The guest OS ignores ACPI shutdown: qmshutdown/vzshutdown time out (NOTES.md §9). */
  ignoresShutdown?: boolean;
  /** QEMU: the guest agent answers guest-ping (default true; needs `agent` in the config). */
  agentRunning?: boolean;
}

/** A network interface as the guest sees it (QEMU guest agent, LXC `interfaces`). */
export interface GuestNicSpec {
  readonly name: string;
  /** Lower- or upper-case MAC; absent for interfaces QGA reports without one. */
  readonly mac?: string;
  /** Addresses with prefix length, e.g. '10.0.0.100/24', '2001:db8::100/64'. */
  readonly addresses: readonly string[];
}

export interface GuestSpec {
  readonly vmid: number;
  readonly type: GuestType;
  readonly node: string;
  /** Initial run state; 'paused' and 'hibernated' are QEMU only (NOTES.md §8). */
  readonly status?: GuestStartState;
  /** Config keys (name/hostname, memory, disks, tags, description, lock, template, ...). */
  readonly config: GuestConfig;
  readonly snapshots?: readonly SnapshotSpec[];
  /** `current.parent`; defaults to the last snapshot of the list. */
  readonly parent?: string | null;
  readonly pool?: string;
  readonly ha?: { readonly state: HaRequestState; readonly group?: string };
  readonly uptimeSec?: number;
  readonly behaviour?: GuestBehaviour;
  /** Interfaces inside the guest; default: lo and eth0 (net0's MAC) with 10.0.0.<vmid % 250>/24. */
  readonly network?: readonly GuestNicSpec[];
}

export interface NodeSpec {
  readonly name: string;
  readonly ip?: string;
  readonly online?: boolean;
  readonly maxcpu?: number;
  readonly maxmem?: number;
  readonly maxdisk?: number;
  readonly cpuModel?: string;
  readonly sockets?: number;
  /** Subscription level ('' = none, 'c', 'b', 's', 'p'). */
  readonly level?: string;
  readonly uptimeSec?: number;
  /** Base CPU usage fraction (0..1). */
  readonly load?: number;
}

export type StorageType = 'dir' | 'lvmthin' | 'lvm' | 'nfs' | 'cifs' | 'zfspool' | 'rbd' | 'pbs' | 'cephfs' | 'btrfs';

export interface StorageSpec {
  readonly storage: string;
  readonly type: StorageType;
  /** Comma list as in storage.cfg, e.g. "images,rootdir". */
  readonly content: string;
  readonly shared?: boolean;
  /** Restrict to these nodes (storage.cfg `nodes`); all nodes when absent. */
  readonly nodes?: readonly string[];
  readonly disable?: boolean;
  /** Extra storage.cfg keys returned by GET /storage (path, vgname, server, export, ...). */
  readonly extra?: Readonly<Record<string, ConfigValue>>;
  readonly totalBytes: number;
  readonly usedFraction: number;
}

export interface PoolSpec {
  readonly poolid: string;
  readonly comment?: string;
  readonly storage?: readonly string[];
}

export interface TokenSpec {
  readonly name: string;
  /** UUID; random per start when absent. */
  readonly secret?: string;
  /** Privilege separation (default true, like the GUI). */
  readonly privsep?: boolean;
  /** Unix seconds, 0 = never. */
  readonly expire?: number;
  readonly comment?: string;
}

export interface TotpSpec {
  /** Base32 secret (RFC 6238, SHA-1, 6 digits, 30 s). */
  readonly secret: string;
  /** Single-use recovery keys, `xxxx-xxxx-xxxx-xxxx`. */
  readonly recovery?: readonly string[];
}

export interface UserSpec {
  readonly userid: string;
  readonly enable?: boolean;
  /** Unix seconds, 0 = never. */
  readonly expire?: number;
  readonly groups?: readonly string[];
  readonly password?: string;
  readonly totp?: TotpSpec;
  readonly tokens?: readonly TokenSpec[];
}

export interface AclSpec {
  readonly path: string;
  /** user id, token id (user@realm!name) or group name. */
  readonly ugid: string;
  readonly type: 'user' | 'group' | 'token';
  readonly roleid: string;
  readonly propagate?: boolean;
}

export interface RoleSpec {
  readonly roleid: string;
  readonly privs: readonly string[];
}

export interface TaskHistorySpec {
  readonly node: string;
  readonly type: string;
  readonly id: string;
  readonly user: string;
  /** Seconds before the simulator start. */
  readonly agoSec: number;
  readonly durationSec: number;
  /** Final status: 'OK', 'WARNINGS: n' or an error text. */
  readonly status: string;
  readonly log?: readonly string[];
}

export interface VersionSpec {
  readonly version: string;
  readonly release: string;
  readonly repoid: string;
}

export type HaRequestState = 'started' | 'stopped' | 'disabled' | 'ignored';

export interface ClusterSpec {
  readonly clusterName: string;
  /** Defaults to true when there is more than one node (standalone: no cluster entry, nodeid 0). */
  readonly clustered?: boolean;
  readonly nodes: readonly NodeSpec[];
  readonly guests: readonly GuestSpec[];
  readonly storages: readonly StorageSpec[];
  readonly pools?: readonly PoolSpec[];
  readonly users: readonly UserSpec[];
  readonly groups?: readonly { readonly groupid: string; readonly users: readonly string[] }[];
  readonly roles?: readonly RoleSpec[];
  readonly acl: readonly AclSpec[];
  readonly taskHistory?: readonly TaskHistorySpec[];
  readonly version?: VersionSpec;
  readonly seed?: number;
}

// ---------------------------------------------------------------------------------------------
// Live model

export interface SimNode {
  readonly name: string;
  readonly nodeid: number;
  readonly ip: string;
  online: boolean;
  level: string;
  readonly maxcpu: number;
  readonly maxmem: number;
  readonly maxdisk: number;
  readonly cpuModel: string;
  readonly sockets: number;
  /** Unix seconds of the (simulated) boot; uptime and UPID pstart derive from it. */
  bootTimeSec: number;
  readonly load: number;
  /** Fingerprint of this node's certificate (the served node uses the live certificate's). */
  fingerprint: string;
  nextPid: number;
}

export interface SimGuest {
  readonly vmid: number;
  readonly type: GuestType;
  node: string;
  config: GuestConfig;
  /** Snapshot sections of the config in insertion order, each with snaptime/parent/... keys. */
  snapshots: Map<string, GuestConfig>;
  running: boolean;
  /** QEMU query-status value while running ('running', 'paused', 'suspended', 'prelaunch'). */
  qmpstatus: string;
  /** Unix ms of the last start (uptime). */
  startedAtMs: number;
  pid: number;
  pool?: string;
  behaviour: GuestBehaviour;
  /** LXC: suspended with lxc-checkpoint (stopped, resumable). */
  checkpointed: boolean;
  /** Interfaces inside the guest (see GuestSpec.network); undefined: the generated default. */
  network?: GuestNicSpec[];
  /** Seeded base values for the fake stats. */
  readonly seed: number;
}

export interface SimStorage extends StorageSpec {
  readonly digest: string;
}

export interface SimPool {
  readonly poolid: string;
  comment?: string;
  readonly storage: Set<string>;
}

export interface HaResource {
  readonly sid: string;
  /** Requested state from resources.cfg. */
  state: HaRequestState;
  /** CRM service state from manager_status (started, stopped, request_stop, ...). */
  managerState: string;
  group?: string;
}

export interface SimToken {
  readonly name: string;
  secret: string;
  privsep: boolean;
  expire: number;
  comment?: string;
}

export interface SimUser {
  readonly userid: string;
  enable: boolean;
  expire: number;
  groups: Set<string>;
  password?: string;
  totp?: { secret: string; recovery: string[]; failures: number; lastStep: number };
  readonly tokens: Map<string, SimToken>;
}

export interface AclEntry {
  readonly path: string;
  readonly ugid: string;
  readonly type: 'user' | 'group' | 'token';
  readonly roleid: string;
  readonly propagate: boolean;
}
