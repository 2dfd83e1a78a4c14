import type { Permissions } from '../api/schemas/permissions';

/**
 * Answers "may this token do X on path P?" from `/access/permissions`. An entry on a parent path
 * counts only when it propagates (value 1). `A|B` means either privilege suffices.
 */
export function hasPrivilege(permissions: Permissions, path: string, privilege: string, extraPaths: readonly string[] = []): boolean {
  const alternatives = privilege.split('|');
  return alternatives.some((priv) => [path, ...extraPaths].some((p) => holdsOn(permissions, p, priv)));
}

function holdsOn(permissions: Permissions, path: string, privilege: string): boolean {
  const exact = permissions[path]?.[privilege];
  if (exact !== undefined) return true;
  for (const parent of parents(path)) {
    if (permissions[parent]?.[privilege] === true) return true;
  }
  return false;
}

function parents(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length - 1; i >= 1; i--) out.push(`/${parts.slice(0, i).join('/')}`);
  out.push('/');
  return out;
}

export function hasAllPrivileges(permissions: Permissions, path: string, privileges: readonly string[], extraPaths: readonly string[] = []): boolean {
  return privileges.every((priv) => hasPrivilege(permissions, path, priv, extraPaths));
}

/** The paths whose ACLs apply to a guest: its own and its pool's. */
export function guestAclPaths(vmid: number, pool: string | undefined): { path: string; extra: string[] } {
  return { path: `/vms/${vmid}`, extra: pool ? [`/pool/${pool}`] : [] };
}

/** A one-word summary for "Test Connection": what this token allows on its guests. */
export function summarizeAccess(permissions: Permissions): { readonly power: boolean; readonly snapshots: boolean; readonly audit: boolean } {
  const any = (priv: string): boolean => Object.values(permissions).some((privs) => privs[priv] !== undefined);
  return { audit: any('VM.Audit'), power: any('VM.PowerMgmt'), snapshots: any('VM.Snapshot') || any('VM.Snapshot.Rollback') };
}
