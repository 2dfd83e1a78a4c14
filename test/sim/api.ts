// The request pipeline of pve-manager PVE::HTTPServer::rest_handler, in PVE's order (NOTES.md §3):
// find the handler (501), reject URI/parameter conflicts (400), refuse tokens where `allowtoken`
// is 0 (403), check permissions (403, before any validation), resolve `proxyto` (500 for an
// unknown node, 595 for an unreachable one), validate parameters against the schema (400), run.
import type { AuthInfo } from './auth';
import { die, paramError, permError, PveError, toPveError } from './errors';
import type { GuestType } from './model';
import { execPermCheck, PermissionChecker } from './permissions';
import { routeTable } from './routes/registry';
import { DownloadResult, type RouteHandler, type RouteRequest } from './routes/types';
import { endpointKey, loadEndpoints, PathRouter, type PermissionSpec } from './schema';
import type { SimContext } from './simContext';
import type { TicketService } from './tickets';
import { validateParams, type Params } from './validate';

export type ApiResult =
  | {
      readonly kind: 'api';
      readonly status: number;
      /** Full message (may end in "\n"); the reason phrase is its first line. */
      readonly message?: string;
      readonly data: unknown;
      readonly errors?: Readonly<Record<string, string>>;
      readonly total?: number;
    }
  | { readonly kind: 'download'; readonly download: DownloadResult }
  /** The internal proxy to another node failed (AnyEvent::HTTP pseudo status, no body). */
  | { readonly kind: 'proxyError'; readonly status: number; readonly reason: string; readonly delayMs: number };

export interface ProxyErrorOptions {
  /** 595 = connect failed (default), 596 = TLS/request failed. */
  readonly status: number;
  readonly reason: string;
  /** How long the failing connect takes (an ARP timeout is ~3 s on a LAN). */
  readonly delayMs: number;
}

/** RPCEnvironment::check_api2_permissions. */
function checkApi2Permissions(rpc: PermissionChecker, perm: PermissionSpec | undefined, authid: string, params: Params): void {
  if (authid === '' && perm?.user === 'world') return;
  if (authid === '') throw permError('user != null');
  if (authid === 'root@pam') return;
  if (!perm) throw permError('user != root@pam');
  if (perm.user === 'all') return;
  if (perm.check) {
    execPermCheck(rpc, perm.check, authid, params);
    return;
  }
  throw permError();
}

export class ApiHandler {
  private readonly router = new PathRouter(loadEndpoints());
  private readonly handlers: Map<string, RouteHandler> = routeTable();

  constructor(
    private readonly ctx: SimContext,
    private readonly tickets: TicketService,
    private readonly proxyError: () => ProxyErrorOptions,
  ) {}

  async handle(method: string, relUri: string, params: Params, auth: AuthInfo, apiTokenHeader: boolean): Promise<ApiResult> {
    const match = this.router.match(method, relUri);
    const handler = match ? this.handlers.get(endpointKey(match.endpoint.method, match.endpoint.path)) : undefined;
    if (!match || !handler) {
      return { kind: 'api', status: 501, message: `Method '${method} ${relUri}' not implemented`, data: null };
    }
    let total: number | undefined;
    try {
      const info = match.endpoint.schema;
      const merged: Params = { ...params };
      for (const p of Object.keys(params).sort()) {
        const uriValue = match.uriParams[p];
        const value = params[p];
        if (uriValue !== undefined && (typeof value === 'object' || String(value) !== uriValue)) {
          throw paramError({ [p]: 'duplicate parameter (already defined in URI) with conflicting values!' });
        }
      }
      Object.assign(merged, match.uriParams);
      if (apiTokenHeader && !info.allowtoken) {
        throw permError(`URI '${relUri}' not available with API token, need proper ticket.`);
      }
      const authid = auth.kind === 'none' ? '' : auth.authid;
      const rpc = new PermissionChecker(this.ctx.state);
      checkApi2Permissions(rpc, info.permissions, authid, merged);

      let node = this.ctx.state.localNode;
      if (info.proxyto !== undefined) {
        const target = merged[info.proxyto];
        if (typeof target !== 'string' || target === '') throw paramError({ [info.proxyto]: 'proxyto parameter does not exist' });
        if (target !== 'localhost' && target !== node) {
          const simNode = this.ctx.state.node(target);
          if (!simNode) {
            throw die(`hostname lookup '${target}' failed - failed to get address info for: ${target}: Name or service not known`);
          }
          if (!simNode.online) {
            const pe = this.proxyError();
            return { kind: 'proxyError', status: pe.status, reason: pe.reason, delayMs: pe.delayMs };
          }
          node = target;
        }
      } else if (typeof merged.node === 'string' && this.ctx.state.node(merged.node)) {
        node = merged.node;
      }

      const errors = validateParams(merged, info.parameters.properties ?? {}, info.parameters.additionalProperties === 1);
      if (Object.keys(errors).length > 0) throw paramError(errors);

      const req: RouteRequest = {
        ctx: this.ctx,
        params: merged,
        auth,
        authid,
        rpc,
        caller: { node, authid },
        tickets: this.tickets,
        setTotal: (n) => {
          total = n;
        },
        withConfigLock: <T>(type: GuestType, vmid: number, fn: () => T) => this.syncConfigLock(type, vmid, fn),
      };
      const data = await handler(req);
      if (data instanceof DownloadResult) return { kind: 'download', download: data };
      return { kind: 'api', status: 200, data: data ?? null, total: total !== undefined && total !== 0 ? total : undefined };
    } catch (err) {
      const e: PveError = toPveError(err);
      return { kind: 'api', status: e.status, message: e.pveMessage, data: null, errors: e.errors };
    }
  }

  private async syncConfigLock<T>(type: GuestType, vmid: number, fn: () => T): Promise<T> {
    const text =
      type === 'qemu'
        ? `can't lock file '/var/lock/qemu-server/lock-${vmid}.conf' - got timeout`
        : `can't lock file '/run/lock/lxc/pve-config-${vmid}.lock' - got timeout`;
    const release = await this.ctx.tasks.locks.acquire(vmid, this.ctx.tasks.options.lockTimeoutMs, new AbortController().signal, text);
    try {
      return fn();
    } finally {
      release();
    }
  }
}
