// Privileges and ACL evaluation after pve-access-control (AccessControl.pm roles(),
// RPCEnvironment.pm permissions/compile_acl_path/check/check_any; NOTES.md §5): the most specific
// ACL path wins, token ACLs beat user ACLs beat group ACLs at one level, propagation flags, pool
// ACLs apply to their member guests, and a privilege-separated token gets the intersection of its
// own and its user's privileges. root@pam bypasses every check.
import { permError } from './errors';
import type { AclEntry, SimUser } from './model';

const PRIV_GROUPS: Record<string, { root: string[]; admin: string[]; user: string[]; audit: string[] }> = {
  VM: {
    root: [],
    admin: [
      'VM.Config.Disk', 'VM.Config.CPU', 'VM.Config.Memory', 'VM.Config.Network', 'VM.Config.HWType',
      'VM.Config.Options', 'VM.Allocate', 'VM.Clone', 'VM.GuestAgent.Unrestricted', 'VM.Migrate',
      'VM.Replicate', 'VM.Snapshot', 'VM.Snapshot.Rollback',
    ],
    user: [
      'VM.Config.CDROM', 'VM.Config.Cloudinit', 'VM.Console', 'VM.Backup', 'VM.GuestAgent.FileRead',
      'VM.GuestAgent.FileSystemMgmt', 'VM.GuestAgent.FileWrite', 'VM.PowerMgmt',
    ],
    audit: ['VM.Audit', 'VM.GuestAgent.Audit'],
  },
  Sys: {
    root: ['Sys.PowerMgmt', 'Sys.Modify', 'Sys.Incoming', 'Sys.AccessNetwork'],
    admin: ['Sys.Console', 'Sys.Syslog'],
    user: [],
    audit: ['Sys.Audit'],
  },
  Datastore: {
    root: [],
    admin: ['Datastore.Allocate', 'Datastore.AllocateTemplate'],
    user: ['Datastore.AllocateSpace'],
    audit: ['Datastore.Audit'],
  },
  SDN: { root: [], admin: ['SDN.Allocate', 'SDN.Audit'], user: ['SDN.Use'], audit: ['SDN.Audit'] },
  User: { root: ['Realm.Allocate'], admin: ['User.Modify', 'Group.Allocate', 'Realm.AllocateUser'], user: [], audit: [] },
  Pool: { root: [], admin: ['Pool.Allocate'], user: ['Pool.Audit'], audit: ['Pool.Audit'] },
  Mapping: { root: [], admin: ['Mapping.Modify'], user: ['Mapping.Use'], audit: ['Mapping.Audit'] },
};

/** The built-in roles (AccessControl::create_roles). */
export function builtinRoles(): Map<string, Set<string>> {
  const roles = new Map<string, Set<string>>();
  const all = new Set<string>(['Permissions.Modify']);
  const get = (name: string): Set<string> => {
    let r = roles.get(name);
    if (!r) {
      r = new Set();
      roles.set(name, r);
    }
    return r;
  };
  roles.set('NoAccess', new Set());
  for (const [cat, g] of Object.entries(PRIV_GROUPS)) {
    for (const p of [...g.root, ...g.admin, ...g.user, ...g.audit]) all.add(p);
    for (const p of [...g.admin, ...g.user, ...g.audit]) {
      get(`PVE${cat}Admin`).add(p);
      get('PVEAdmin').add(p);
    }
    if (g.user.length > 0) for (const p of [...g.user, ...g.audit]) get(`PVE${cat}User`).add(p);
    for (const p of g.audit) get('PVEAuditor').add(p);
  }
  get('PVEAdmin').delete('Mapping.Modify');
  roles.set('PVETemplateUser', new Set(['VM.Clone', 'VM.Audit']));
  roles.set('Administrator', all);
  return roles;
}

export const TOKEN_ID_RE = /^(([^\s:/]+)@([A-Za-z][A-Za-z0-9.\-_]+))!([A-Za-z][A-Za-z0-9.\-_]+)$/;

/** AccessControl::split_tokenid: [userid, tokenname] or undefined. */
export function splitTokenId(authid: string): [string, string] | undefined {
  const m = TOKEN_ID_RE.exec(authid);
  return m?.[1] !== undefined && m[4] !== undefined ? [m[1], m[4]] : undefined;
}

/** AccessControl::normalize_path; undefined for paths with characters PVE refuses. */
export function normalizeAclPath(path: string): string | undefined {
  if (path === '') return undefined;
  let p = path.replace(/\/+/g, '/').replace(/\/$/, '');
  if (p === '') p = '/';
  if (!p.startsWith('/')) p = `/${p}`;
  return /^[A-Za-z0-9.\-_/]+$/.test(p) ? p : undefined;
}

export interface AccessView {
  readonly users: ReadonlyMap<string, SimUser>;
  readonly groups: ReadonlyMap<string, ReadonlySet<string>>;
  readonly roles: ReadonlyMap<string, ReadonlySet<string>>;
  readonly acl: readonly AclEntry[];
  /** Pool membership: pool id -> guest vmids and storage ids. */
  poolMembers(): ReadonlyMap<string, { vms: readonly number[]; storage: readonly string[] }>;
}

/** priv name -> propagate flag (1/0), like the hash permissions() returns. */
export type PrivMap = Map<string, 0 | 1>;

interface AclTreeNode {
  children: Map<string, AclTreeNode>;
  entries: AclEntry[];
}

function buildAclTree(acl: readonly AclEntry[]): AclTreeNode {
  const root: AclTreeNode = { children: new Map(), entries: [] };
  for (const entry of acl) {
    let node = root;
    for (const comp of entry.path.split('/').filter((c) => c !== '')) {
      let next = node.children.get(comp);
      if (!next) {
        next = { children: new Map(), entries: [] };
        node.children.set(comp, next);
      }
      node = next;
    }
    node.entries.push(entry);
  }
  return root;
}

/**
 * One request's permission environment (RPCEnvironment with its per-request ACL cache).
 */
export class PermissionChecker {
  private readonly tree: AclTreeNode;
  private readonly cache = new Map<string, Map<string, PrivMap>>();
  private readonly poolRoles = new Map<string, Map<string, Map<string, 0 | 1>>>();
  private readonly roleSetCache = new Map<string, PrivMap>();

  constructor(private readonly access: AccessView) {
    this.tree = buildAclTree(access.acl);
  }

  /** AccessControl::roles: role -> propagate for the user/token at the path (pools excluded). */
  private roles(authid: string, path: string): Map<string, 0 | 1> {
    const token = splitTokenId(authid);
    if (token) {
      const user = this.access.users.get(token[0]);
      const info = user?.tokens.get(token[1]);
      if (!info) return new Map();
      if (!info.privsep) return this.roles(token[0], path);
    }
    const user = token ? undefined : this.access.users.get(authid);
    let roles = new Map<string, 0 | 1>();
    const comps = path === '/' ? [''] : path.split('/');
    let node: AclTreeNode | undefined = this.tree;
    for (let i = 0; i < comps.length; i++) {
      const comp = comps[i] ?? '';
      const final = i === comps.length - 1;
      if (comp !== '') node = node.children.get(comp);
      if (!node) break;
      const entries = node.entries;
      const pick = (filter: (e: AclEntry) => boolean): Map<string, 0 | 1> | undefined => {
        let next: Map<string, 0 | 1> | undefined;
        for (const e of entries) {
          if (!filter(e) || !(final || e.propagate)) continue;
          next ??= new Map();
          next.set(e.roleid, e.propagate ? 1 : 0);
        }
        return next;
      };
      const next =
        pick((e) => e.type === 'token' && e.ugid === authid) ??
        pick((e) => e.type === 'user' && e.ugid === authid) ??
        pick((e) => e.type === 'group' && (this.access.groups.get(e.ugid)?.has(authid) ?? user?.groups.has(e.ugid) ?? false));
      if (next) roles = next;
    }
    const noAccess = roles.get('NoAccess');
    if (noAccess !== undefined) return new Map([['NoAccess', noAccess]]);
    return roles;
  }

  private poolRolesFor(authid: string): Map<string, Map<string, 0 | 1>> {
    let data = this.poolRoles.get(authid);
    if (data) return data;
    data = new Map();
    for (const [pool, members] of this.access.poolMembers()) {
      const poolRoles = this.roles(authid, `/pool/${pool}`);
      if (poolRoles.size === 0) continue;
      const paths = [...members.vms.map((v) => `/vms/${v}`), ...members.storage.map((s) => `/storage/${s}`)];
      for (const p of paths) {
        let m = data.get(p);
        if (!m) {
          m = new Map();
          data.set(p, m);
        }
        for (const role of poolRoles.keys()) m.set(role, 1);
      }
    }
    this.poolRoles.set(authid, data);
    return data;
  }

  /** Roles -> privileges; the same few role sets repeat over thousands of paths. */
  private privsOfRoles(roles: ReadonlyMap<string, 0 | 1>): PrivMap {
    let key = '';
    for (const [role, propagate] of roles) key += `${role}=${propagate};`;
    const cached = this.roleSetCache.get(key);
    if (cached) return cached;
    const privs: PrivMap = new Map();
    for (const [role, propagate] of roles) {
      for (const p of this.access.roles.get(role) ?? []) privs.set(p, (privs.get(p) ?? 0) || propagate);
    }
    this.roleSetCache.set(key, privs);
    return privs;
  }

  private compile(authid: string, path: string): PrivMap {
    let roles = this.roles(authid, path);
    const fromPool = this.poolRolesFor(authid).get(path);
    if (fromPool && !roles.has('NoAccess')) {
      if (fromPool.has('NoAccess')) {
        roles = new Map([['NoAccess', 0]]);
      } else {
        roles = new Map(roles);
        for (const role of fromPool.keys()) if (!roles.has(role)) roles.set(role, 0);
      }
    }
    let privs = this.privsOfRoles(roles);
    const token = splitTokenId(authid);
    if (token && token[0] !== 'root@pam') {
      const userPrivs = this.permissions(token[0], path);
      const filtered: PrivMap = new Map();
      for (const [p, prop] of privs) {
        const up = userPrivs.get(p);
        if (up !== undefined) filtered.set(p, up && prop ? 1 : 0);
      }
      privs = filtered;
    }
    return privs;
  }

  /** RPCEnvironment::permissions(user, path). */
  permissions(authid: string, path: string | undefined): PrivMap {
    if (authid === 'root@pam') {
      return new Map([...(this.access.roles.get('Administrator') ?? [])].map((p) => [p, 1 as const]));
    }
    if (path === undefined) return new Map();
    const token = splitTokenId(authid);
    if (token) {
      const info = this.access.users.get(token[0])?.tokens.get(token[1]);
      if (!info) return new Map();
      const userPerms = this.permissions(token[0], path);
      if (!info.privsep) return userPerms;
    } else if (!/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/.test(authid)) {
      return new Map();
    }
    let perUser = this.cache.get(authid);
    if (!perUser) {
      perUser = new Map();
      this.cache.set(authid, perUser);
    }
    let privs = perUser.get(path);
    if (!privs) {
      privs = this.compile(authid, path);
      perUser.set(path, privs);
    }
    return privs;
  }

  /** RPCEnvironment::check: all privileges; throws 403 "Permission check failed (<path>, <priv>)". */
  check(authid: string, path: string | undefined, privs: readonly string[], noerr = false): boolean {
    const perm = this.permissions(authid, path);
    for (const priv of privs) {
      if (!perm.has(priv)) {
        if (noerr) return false;
        throw permError(`${path ?? ''}, ${priv}`);
      }
    }
    return true;
  }

  /** RPCEnvironment::check_any: one of the privileges; 403 names them joined by '|'. */
  checkAny(authid: string, path: string | undefined, privs: readonly string[], noerr = false): boolean {
    const perm = this.permissions(authid, path);
    if (privs.some((p) => perm.has(p))) return true;
    if (noerr) return false;
    throw permError(`${path ?? ''}, ${privs.join('|')}`);
  }

  /** RPCEnvironment::get_effective_permissions (GET /access/permissions without `path`). */
  effectivePermissions(authid: string): Record<string, Record<string, 0 | 1>> {
    const paths = new Set(['/', '/access', '/access/groups', '/nodes', '/pool', '/sdn', '/storage', '/vms']);
    for (const e of this.access.acl) paths.add(e.path);
    for (const [, members] of this.access.poolMembers()) {
      for (const v of members.vms) paths.add(`/vms/${v}`);
      for (const s of members.storage) paths.add(`/storage/${s}`);
    }
    const res: Record<string, Record<string, 0 | 1>> = {};
    for (const p of paths) {
      const privs = this.permissions(authid, p);
      if (privs.size > 0) res[p] = Object.fromEntries(privs);
    }
    return res;
  }
}

/** PVE::Tools::template_replace for permission paths: `{vmid}` -> value, '-' when missing. */
export function templateReplace(template: string, params: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined || v === null || v === '' || v === 0 || v === '0') return '-';
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '-';
  });
}

/** The permission check part of RPCEnvironment::check_api2_permissions/exec_api2_perm_check. */
export function execPermCheck(
  rpc: PermissionChecker,
  check: readonly unknown[],
  authid: string,
  params: Readonly<Record<string, unknown>>,
  noerr = false,
): boolean {
  const [test, ...rest] = check;
  if (test === 'and') {
    for (const sub of rest) execPermCheck(rpc, sub as unknown[], authid, params);
    return true;
  }
  if (test === 'or') {
    for (const sub of rest) if (execPermCheck(rpc, sub as unknown[], authid, params, true)) return true;
    if (noerr) return false;
    throw permError();
  }
  if (test === 'perm') {
    const [tmpl, privs, ...opts] = rest as [string, string[], ...unknown[]];
    const options: Record<string, unknown> = {};
    for (let i = 0; i + 1 < opts.length; i += 2) options[String(opts[i])] = opts[i + 1];
    const requireParam = options.require_param;
    if (typeof requireParam === 'string' && params[requireParam] === undefined) {
      if (noerr) return false;
      throw permError();
    }
    const path = normalizeAclPath(templateReplace(tmpl, params));
    return options.any ? rpc.checkAny(authid, path, privs, noerr) : rpc.check(authid, path, privs, noerr);
  }
  throw new Error(`unknown permission test '${String(test)}'`);
}

/** RPCEnvironment::compute_api_permission: the `cap` object of a ticket sign-in. */
export function computeApiPermission(rpc: PermissionChecker, access: AccessView, authid: string): Record<string, Record<string, 1>> {
  const reMap: Record<string, RegExp> = {
    vms: /^(VM\.|Permissions\.Modify)/,
    access: /^((User|Group)\.|Permissions\.Modify)/,
    storage: /^(Datastore\.|Permissions\.Modify)/,
    nodes: /^(Sys\.|Permissions\.Modify)/,
    sdn: /^(SDN\.|Permissions\.Modify)/,
    dc: /^(Sys\.Audit|Sys\.Modify|SDN\.)/,
    mapping: /^(Mapping\.|Permissions.Modify)/,
  };
  const res: Record<string, Record<string, 1>> = {};
  for (const k of Object.keys(reMap)) res[k] = {};
  const paths = new Set(['/', '/nodes', '/access/groups', '/vms', '/storage', '/sdn', '/mapping']);
  for (const e of access.acl) paths.add(e.path);
  for (const path of paths) {
    const privs = rpc.permissions(authid, path);
    const top = /^\/(\w+)/.exec(path)?.[1] ?? 'dc';
    if (top === 'pool') {
      for (const p of privs.keys()) {
        const vms = res.vms ?? {};
        const storage = res.storage ?? {};
        if (p.startsWith('VM.')) vms[p] = 1;
        else if (p.startsWith('Datastore.')) storage[p] = 1;
        else if (p === 'Permissions.Modify') {
          storage[p] = 1;
          vms[p] = 1;
        }
      }
      continue;
    }
    const re = reMap[top];
    const bucket = res[top];
    if (!re || !bucket) continue;
    for (const p of privs.keys()) if (re.test(p)) bucket[p] = 1;
  }
  return res;
}
