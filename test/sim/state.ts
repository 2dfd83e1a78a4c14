// The live cluster model and the helpers tests use to arrange situations (a guest that is locked,
// migrated, paused; an offline node; a revoked token) without going through the API.
import { createHash, randomUUID } from 'node:crypto';
import type { SimClock } from './clock';
import { invalidateConfigCache, isTemplate } from './guestConfig';
import type {
  AclEntry, AclSpec, ClusterSpec, GuestConfig, GuestSpec, GuestStartState, HaRequestState, HaResource,
  NodeSpec, SimGuest, SimNode, SimPool, SimStorage, SimToken, SimUser, TokenSpec, UserSpec, VersionSpec,
} from './model';
import { builtinRoles, splitTokenId, type AccessView } from './permissions';
import { createRng, hashString } from './rng';

const DEFAULT_VERSION: VersionSpec = { version: '9.1.4', release: '9.1', repoid: '9d436f37a0ac4172' };

function fakeFingerprint(seed: string): string {
  const hex = createHash('sha256').update(`pve-sim-node-cert:${seed}`).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? hex;
}

export class ClusterState implements AccessView {
  readonly clusterName: string;
  readonly clustered: boolean;
  readonly version: VersionSpec;
  readonly seed: number;
  readonly nodes: SimNode[] = [];
  readonly guests = new Map<number, SimGuest>();
  readonly storages: SimStorage[] = [];
  readonly pools = new Map<string, SimPool>();
  readonly ha = new Map<string, HaResource>();
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, Set<string>>();
  readonly roles = builtinRoles();
  acl: AclEntry[] = [];
  /** The node the simulator's HTTPS endpoint "is"; other nodes are reached through it (proxyto). */
  readonly localNode: string;
  /** Bumped on every change so callers can cache derived data. */
  generation = 0;
  /**
   * Raw items appended to /cluster/resources as they are (no permission filter), for clients that
   * must survive an unknown `type` or a malformed entry (SECURITY.md scenario 17).
   */
  extraResources: Record<string, unknown>[] = [];

  constructor(spec: ClusterSpec, private readonly clock: SimClock) {
    this.clusterName = spec.clusterName;
    this.clustered = spec.clustered ?? spec.nodes.length > 1;
    this.version = spec.version ?? DEFAULT_VERSION;
    this.seed = spec.seed ?? 1;
    if (spec.nodes.length === 0) throw new Error('a cluster needs at least one node');
    spec.nodes.forEach((n, i) => this.nodes.push(this.buildNode(n, i)));
    this.localNode = this.nodes[0]?.name ?? 'pve';
    for (const s of spec.storages) {
      const digest = createHash('sha1').update(`storage.cfg:${s.storage}:${s.type}:${s.content}`).digest('hex');
      this.storages.push({ ...s, digest });
    }
    for (const p of spec.pools ?? []) this.pools.set(p.poolid, { poolid: p.poolid, comment: p.comment, storage: new Set(p.storage ?? []) });
    for (const r of spec.roles ?? []) this.roles.set(r.roleid, new Set(r.privs));
    for (const g of spec.groups ?? []) this.groups.set(g.groupid, new Set(g.users));
    for (const u of spec.users) this.addUser(u);
    for (const a of spec.acl) this.addAcl(a);
    for (const g of spec.guests) this.addGuest(g);
  }

  private buildNode(n: NodeSpec, index: number): SimNode {
    const rng = createRng(hashString(`${this.seed}:node:${n.name}`));
    const uptime = n.uptimeSec ?? 86400 * (3 + Math.floor(rng() * 40)) + Math.floor(rng() * 86400);
    return {
      name: n.name,
      nodeid: this.clustered ? index + 1 : 0,
      ip: n.ip ?? `192.168.100.${11 + index}`,
      online: n.online ?? true,
      level: n.level ?? '',
      maxcpu: n.maxcpu ?? 16,
      maxmem: n.maxmem ?? 67430023168,
      maxdisk: n.maxdisk ?? 100861726720,
      cpuModel: n.cpuModel ?? 'AMD EPYC 7302P 16-Core Processor',
      sockets: n.sockets ?? 1,
      bootTimeSec: this.clock.nowSec() - uptime,
      load: n.load ?? 0.02 + rng() * 0.1,
      fingerprint: fakeFingerprint(`${this.seed}:${n.name}`),
      nextPid: 100000 + Math.floor(rng() * 800000),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Lookups

  node(name: string): SimNode | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  guest(vmid: number): SimGuest | undefined {
    return this.guests.get(vmid);
  }

  /** The guest if its config lives on `node` with the given type (cfs path nodes/<node>/...). */
  guestOn(node: string, type: SimGuest['type'], vmid: number): SimGuest | undefined {
    const g = this.guests.get(vmid);
    return g && g.node === node && g.type === type ? g : undefined;
  }

  storagesOn(node: string): SimStorage[] {
    return this.storages.filter((s) => !s.nodes || s.nodes.includes(node));
  }

  poolMembers(): Map<string, { vms: number[]; storage: string[] }> {
    const res = new Map<string, { vms: number[]; storage: string[] }>();
    for (const p of this.pools.values()) res.set(p.poolid, { vms: [], storage: [...p.storage] });
    for (const g of this.guests.values()) {
      if (g.pool !== undefined) res.get(g.pool)?.vms.push(g.vmid);
    }
    return res;
  }

  haResource(vmid: number): HaResource | undefined {
    return this.ha.get(`vm:${vmid}`) ?? this.ha.get(`ct:${vmid}`);
  }

  /** PVE::HA::Config::vm_is_ha_managed: listed in resources.cfg (any state). */
  isHaManaged(vmid: number): boolean {
    return this.haResource(vmid) !== undefined;
  }

  touch(): void {
    this.generation++;
  }

  // ---------------------------------------------------------------------------------------------
  // Guests

  addGuest(spec: GuestSpec): SimGuest {
    if (this.guests.has(spec.vmid)) throw new Error(`guest ${spec.vmid} already exists`);
    if (!this.node(spec.node)) throw new Error(`unknown node '${spec.node}' for guest ${spec.vmid}`);
    const config: GuestConfig = { ...spec.config };
    const snapshots = new Map<string, GuestConfig>();
    const now = this.clock.nowSec();
    let prev: string | undefined;
    (spec.snapshots ?? []).forEach((s, i) => {
      const snap: GuestConfig = {};
      for (const [k, v] of Object.entries(config)) {
        if (!['lock', 'description', 'vmstate', 'parent', 'digest'].includes(k)) snap[k] = v;
      }
      const parent = s.parent === undefined ? prev : s.parent ?? undefined;
      if (parent !== undefined) snap.parent = parent;
      snap.snaptime = s.snaptime ?? now - 86400 * (30 - i);
      if (s.description !== undefined) snap.description = s.description;
      if (s.vmstate && spec.type === 'qemu') {
        snap.vmstate = `local-lvm:vm-${spec.vmid}-state-${s.name}`;
        snap.runningmachine = 'pc-i440fx-9.2+pve1';
        snap.runningcpu = 'qemu64,+aes,enforce,+kvm_pv_eoi,+kvm_pv_unhalt,+pni,+popcnt,+sse4.1,+sse4.2,+ssse3';
      }
      snapshots.set(s.name, snap);
      prev = s.name;
    });
    const parent = spec.parent === undefined ? prev : spec.parent ?? undefined;
    if (parent !== undefined) config.parent = parent;
    const guest: SimGuest = {
      vmid: spec.vmid,
      type: spec.type,
      node: spec.node,
      config,
      snapshots,
      running: false,
      qmpstatus: 'stopped',
      startedAtMs: 0,
      pid: 0,
      pool: spec.pool,
      behaviour: { ...spec.behaviour },
      checkpointed: false,
      seed: hashString(`${this.seed}:guest:${spec.vmid}`),
      ...(spec.network ? { network: [...spec.network] } : {}),
    };
    this.guests.set(spec.vmid, guest);
    if (spec.pool !== undefined && !this.pools.has(spec.pool)) this.pools.set(spec.pool, { poolid: spec.pool, storage: new Set() });
    this.applyStartState(guest, spec.status ?? 'stopped', spec.uptimeSec);
    if (spec.ha) {
      const sid = `${spec.type === 'qemu' ? 'vm' : 'ct'}:${spec.vmid}`;
      const managerState = spec.ha.state === 'started' ? (guest.running ? 'started' : 'stopped') : spec.ha.state === 'stopped' ? 'stopped' : spec.ha.state;
      this.ha.set(sid, { sid, state: spec.ha.state, managerState, group: spec.ha.group });
    }
    this.touch();
    return guest;
  }

  removeGuest(vmid: number): void {
    this.guests.delete(vmid);
    this.ha.delete(`vm:${vmid}`);
    this.ha.delete(`ct:${vmid}`);
    this.touch();
  }

  private requireGuest(vmid: number): SimGuest {
    const g = this.guests.get(vmid);
    if (!g) throw new Error(`no guest ${vmid}`);
    return g;
  }

  private applyStartState(guest: SimGuest, status: GuestStartState, uptimeSec?: number): void {
    if (guest.type === 'lxc' && (status === 'paused' || status === 'hibernated')) {
      throw new Error(`CT ${guest.vmid}: '${status}' is QEMU only`);
    }
    if (status === 'running' || status === 'paused') {
      this.markRunning(guest, status === 'paused' ? 'paused' : 'running', uptimeSec);
    } else {
      this.markStopped(guest);
    }
    if (status === 'hibernated') {
      guest.config.lock = 'suspended';
      guest.config.vmstate = `local-lvm:vm-${guest.vmid}-state-suspend-2025-11-20`;
      guest.config.runningmachine = 'pc-i440fx-9.2+pve1';
      guest.config.runningcpu = 'qemu64,+aes,enforce,+kvm_pv_eoi,+kvm_pv_unhalt,+pni,+popcnt,+sse4.1,+sse4.2,+ssse3';
    }
  }

  /** Marks a guest as running now (a fresh pid and uptime). */
  markRunning(guest: SimGuest, qmpstatus = 'running', uptimeSec?: number): void {
    const node = this.node(guest.node);
    guest.running = true;
    guest.qmpstatus = guest.type === 'qemu' ? qmpstatus : 'running';
    const rng = createRng(guest.seed);
    const uptime = uptimeSec ?? (guest.startedAtMs === 0 ? 3600 + Math.floor(rng() * 86400 * 20) : 0);
    guest.startedAtMs = this.clock.nowMs() - uptime * 1000;
    if (node) guest.pid = node.nextPid++;
    guest.checkpointed = false;
    this.touch();
  }

  markStopped(guest: SimGuest): void {
    guest.running = false;
    guest.qmpstatus = 'stopped';
    guest.pid = 0;
    this.touch();
  }

  /** Test helper: sets the run state directly (no task). */
  setGuestStatus(vmid: number, status: GuestStartState): void {
    const g = this.requireGuest(vmid);
    if (status !== 'hibernated' && g.config.lock === 'suspended') {
      delete g.config.lock;
      delete g.config.vmstate;
    }
    this.applyStartState(g, status, status === 'running' || status === 'paused' ? 0 : undefined);
  }

  /** Test helper: sets the config lock (e.g. 'backup', 'migrate', 'snapshot'). */
  lockGuest(vmid: number, lock: string): void {
    this.requireGuest(vmid).config.lock = lock;
    this.touch();
  }

  unlockGuest(vmid: number): void {
    delete this.requireGuest(vmid).config.lock;
    this.touch();
  }

  /** Test helper: the guest moves to another node, like a finished migration. */
  migrateGuest(vmid: number, node: string): void {
    const g = this.requireGuest(vmid);
    const target = this.node(node);
    if (!target) throw new Error(`unknown node '${node}'`);
    g.node = node;
    if (g.running) g.pid = target.nextPid++;
    this.touch();
  }

  setGuestConfig(vmid: number, changes: Record<string, string | number | undefined>): void {
    const g = this.requireGuest(vmid);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) Reflect.deleteProperty(g.config, k);
      else g.config[k] = v;
    }
    invalidateConfigCache(g.config);
    this.touch();
  }

  setGuestBehaviour(vmid: number, behaviour: SimGuest['behaviour']): void {
    Object.assign(this.requireGuest(vmid).behaviour, behaviour);
  }

  /** Test helper: puts a guest under HA (or removes it with `undefined`). */
  setHa(vmid: number, state: HaRequestState | undefined): void {
    const g = this.requireGuest(vmid);
    const sid = `${g.type === 'qemu' ? 'vm' : 'ct'}:${vmid}`;
    if (state === undefined) {
      this.ha.delete(sid);
    } else {
      const managerState = state === 'started' ? (g.running ? 'started' : 'stopped') : state === 'stopped' ? 'stopped' : state;
      this.ha.set(sid, { sid, state, managerState });
    }
    this.touch();
  }

  isTemplate(guest: SimGuest): boolean {
    return isTemplate(guest.config);
  }

  // ---------------------------------------------------------------------------------------------
  // Nodes

  setNodeOnline(name: string, online: boolean): void {
    const n = this.node(name);
    if (!n) throw new Error(`unknown node '${name}'`);
    if (!online && name === this.localNode) throw new Error(`'${name}' serves the API and cannot go offline`);
    if (online && !n.online) n.bootTimeSec = this.clock.nowSec();
    n.online = online;
    this.touch();
  }

  // ---------------------------------------------------------------------------------------------
  // Users and tokens

  addUser(u: UserSpec): SimUser {
    const user: SimUser = {
      userid: u.userid,
      enable: u.enable ?? true,
      expire: u.expire ?? 0,
      groups: new Set(u.groups ?? []),
      password: u.password,
      totp: u.totp ? { secret: u.totp.secret, recovery: [...(u.totp.recovery ?? [])], failures: 0, lastStep: 0 } : undefined,
      tokens: new Map(),
    };
    for (const g of user.groups) {
      let members = this.groups.get(g);
      if (!members) {
        members = new Set();
        this.groups.set(g, members);
      }
      members.add(u.userid);
    }
    this.users.set(u.userid, user);
    for (const t of u.tokens ?? []) this.addToken(u.userid, t);
    this.touch();
    return user;
  }

  addToken(userid: string, t: TokenSpec): SimToken {
    const user = this.users.get(userid);
    if (!user) throw new Error(`unknown user '${userid}'`);
    const token: SimToken = {
      name: t.name,
      secret: t.secret ?? randomUUID(),
      privsep: t.privsep ?? true,
      expire: t.expire ?? 0,
      comment: t.comment,
    };
    user.tokens.set(t.name, token);
    this.touch();
    return token;
  }

  /** Test helper: deletes a token (the next request with it gets 401). */
  revokeToken(tokenId: string): void {
    const parts = splitTokenId(tokenId);
    if (!parts) throw new Error(`not a token id: ${tokenId}`);
    this.users.get(parts[0])?.tokens.delete(parts[1]);
    this.acl = this.acl.filter((a) => !(a.type === 'token' && a.ugid === tokenId));
    this.touch();
  }

  addAcl(a: AclSpec): void {
    this.acl.push({ path: a.path, ugid: a.ugid, type: a.type, roleid: a.roleid, propagate: a.propagate ?? true });
    this.touch();
  }
}
