// The contract between the request pipeline (api.ts) and the route handlers.
import type { AuthInfo } from '../auth';
import type { GuestType } from '../model';
import type { PermissionChecker } from '../permissions';
import type { HttpMethod } from '../schema';
import type { Caller, SimContext } from '../simContext';
import type { TicketService } from '../tickets';
import type { Params } from '../validate';

export interface RouteRequest {
  readonly ctx: SimContext;
  /** Validated parameters, URI placeholders included (as strings). */
  readonly params: Params;
  readonly auth: AuthInfo;
  /** The authenticated user or token id; '' for unauthenticated calls. */
  readonly authid: string;
  readonly rpc: PermissionChecker;
  /** Handling node (the request's {node} after proxying, else the local node) and authid. */
  readonly caller: Caller;
  readonly tickets: TicketService;
  /** RPCEnvironment result attribute `total` (the envelope's sibling of `data`). */
  readonly setTotal: (total: number) => void;
  /** lock_config in a synchronous handler (waits like flock, 10 s timeout). */
  withConfigLock<T>(type: GuestType, vmid: number, fn: () => T): Promise<T>;
}

/** A handler returns the `data` value (undefined becomes null) or a raw download. */
export type RouteHandler = (req: RouteRequest) => unknown;

export type RouteEntry = readonly [method: HttpMethod, template: string, handler: RouteHandler];

/** Returned by handlers that stream a file instead of a JSON envelope (task log download=1). */
export class DownloadResult {
  constructor(
    readonly body: string,
    readonly contentType: string,
    readonly filename: string,
  ) {}
}
