import * as vscode from 'vscode';
import { TokenAuthenticator, type Authenticator } from '../api/auth';
import type { PveClient } from '../api/client';
import { PveError, isAbortError } from '../api/errors';
import type { Redactor } from '../api/redact';
import type { Permissions } from '../api/schemas/permissions';
import type { GuestStatus } from '../api/schemas/guest';
import type { SchemaIssue } from '../api/schemas/parse';
import type { TermEndpoint } from '../api/termproxy';
import type { TicketInfo } from '../api/ticketAuth';
import type { RequestEvent, Transport } from '../api/transport';
import type { TrustConfig } from '../api/trust';
import { findGuestByVmid, indexResources, toGuestEntry, type ClusterIndex, type GuestEntry } from '../model/clusterIndex';
import type { ClusterConfig } from '../model/connectionConfig';
import type { Logger } from '../ui/logger';
import type { SecretStore } from './secretStore';
import { trustFor } from './trustConfig';

/** Where a cluster's connection stands, as the tree shows it. */
export type SessionState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'needsSecret' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'error'; readonly error: PveError };

export interface SessionChange {
  readonly session: ClusterSession;
  /** The picture of the cluster changed (a new index arrived) or only the state did. */
  readonly data: boolean;
}

/** Factory for the transport, so tests and the pvesh connection can swap it. Loaded lazily. */
export type TransportFactory = (config: ClusterConfig, auth: Authenticator, onRequest: (event: RequestEvent) => void) => Promise<Transport>;

/** How a session authenticates: an API token, a signed-in user's ticket, or the local pvesh CLI. */
export type AuthKind = 'token' | 'ticket' | 'local';

/** What terminals and raw reads need besides the domain client. */
export interface SessionAccess {
  readonly transport: Transport;
  /** The websocket's origin, trust and credentials; undefined over pvesh (there is no websocket). */
  readonly endpoint: TermEndpoint | undefined;
  readonly authKind: AuthKind;
}

export const httpTransportFactory: TransportFactory = async (config, auth, onRequest) => {
  // undici is loaded on the first request, not on the activation path.
  const { HttpTransport } = await import('../api/httpTransport');
  const seconds = vscode.workspace.getConfiguration('proxmox').get<number>('requestTimeoutSeconds') ?? 30;
  // A 401 arrives ~3 s late by design (NOTES.md §4): never wait less than that for an answer.
  const timeoutMs = Math.max(4, seconds) * 1000;
  return new HttpTransport({ baseUrl: config.url, trust: await trustFor(config), auth, onRequest, headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs, connectTimeoutMs: Math.min(10_000, timeoutMs) });
};

/** After this long, a refresh still waiting for its answer marks the picture stale. */
export const SLOW_REFRESH_MS = 5000;

/**
 * One configured cluster: its connection, the latest picture from `/cluster/resources`, and the
 * token's permissions. At most one resources request is in flight; a failed refresh keeps the
 * previous picture and marks it stale.
 */
export class ClusterSession implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<SessionChange>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly finishEmitter = new vscode.EventEmitter<ClusterSession>();
  /** After every refresh attempt, success or not: the scheduler plans the next one from here. */
  readonly onDidFinishRefresh = this.finishEmitter.event;

  private connection: Promise<{ client: PveClient; transport: Transport; access: SessionAccess }> | undefined;
  /** Tickets this connection loaded or renewed: a change to one of them is our own write. */
  private readonly ownTickets = new Set<string>();
  private inFlight: Promise<void> | undefined;
  private stateValue: SessionState = { kind: 'idle' };
  private indexValue: ClusterIndex | undefined;
  private permissionsValue: Permissions | undefined;
  private disposed = false;

  /** ms since epoch of the last successful refresh. */
  lastSuccess: number | undefined;
  lastDurationMs = 0;
  requestCount = 0;
  /** Set after a 401: automatic refresh pauses until the secret changes or the user retries. */
  authPaused = false;

  constructor(
    readonly config: ClusterConfig,
    private readonly secrets: SecretStore,
    private readonly redactor: Redactor,
    private readonly log: Logger,
    private readonly transportFactory: TransportFactory = httpTransportFactory,
  ) {}

  get state(): SessionState {
    return this.stateValue;
  }

  get index(): ClusterIndex | undefined {
    return this.indexValue;
  }

  get permissions(): Permissions | undefined {
    return this.permissionsValue;
  }

  /** The picture is old: the last refresh failed, or the current one has been running a while. */
  get isStale(): boolean {
    if (this.indexValue === undefined) return false;
    if (this.stateValue.kind === 'error') return true;
    return this.refreshStartedAt !== undefined && Date.now() - this.refreshStartedAt >= SLOW_REFRESH_MS;
  }

  private refreshStartedAt: number | undefined;

  get isRefreshing(): boolean {
    return this.inFlight !== undefined;
  }

  /** The client, built on first use. Throws `unauthorized` with no secret stored. */
  async client(): Promise<PveClient> {
    this.connection ??= this.connect();
    try {
      return (await this.connection).client;
    } catch (error) {
      this.connection = undefined;
      throw error;
    }
  }

  /** The transport and websocket endpoint behind the client (terminals, guest addresses). */
  async access(): Promise<SessionAccess> {
    this.connection ??= this.connect();
    try {
      return (await this.connection).access;
    } catch (error) {
      this.connection = undefined;
      throw error;
    }
  }

  get authKind(): AuthKind {
    return this.config.transport === 'pvesh' ? 'local' : this.config.username ? 'ticket' : 'token';
  }

  private async connect(): Promise<{ client: PveClient; transport: Transport; access: SessionAccess }> {
    const access: SessionAccess =
      this.config.transport === 'pvesh'
        ? { transport: await this.pveshTransport(), endpoint: undefined, authKind: 'local' }
        : this.config.username
          ? await this.ticketAccess(this.config.username)
          : await this.tokenAccess();
    const { transport } = access;
    const { PveClient } = await import('../api/client');
    const client = new PveClient(transport, (issue: SchemaIssue) => {
      this.log.warn(`${this.config.name}: unexpected data from ${issue.endpoint}${issue.index === undefined ? '' : ` item ${issue.index}`} (${issue.problem}): ${issue.detail}. Please report this.`);
    });
    return { client, transport, access };
  }

  private onRequest = (event: RequestEvent): void => {
    this.requestCount++;
    this.log.trace(`${this.config.name}: ${event.method} ${event.path} → ${event.status ?? event.error ?? 'failed'} in ${event.durationMs.toFixed(0)} ms${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
  };

  /**
   * Password sign-in: the ticket from SecretStorage, renewed by the authenticator long before its
   * 2 h end; each renewal is stored and redacted. No stored ticket means "sign in" (needsSecret).
   */
  private async ticketAccess(username: string): Promise<SessionAccess> {
    // Loaded with the first request, like the HTTP client: zod stays off the activation path.
    const { TicketAuthenticator, TicketTransport, parseStoredTicket, serializeTicket, ticketSecrets } = await import('../api/ticketAuth');
    const info = parseStoredTicket(await this.secrets.getTicket(this.config.id));
    if (info?.username.toLowerCase() !== username.toLowerCase()) throw new MissingSecretError('ticket');
    for (const secret of ticketSecrets(info)) this.redactor.addSecret(secret);
    this.ownTickets.add(info.ticket);
    const trust = await trustFor(this.config);
    const auth = new TicketAuthenticator(info, {
      renew: (current, signal) => this.renewTicket(current, trust, signal),
      onRenewed: (next) => {
        for (const secret of ticketSecrets(next)) this.redactor.addSecret(secret);
        this.ownTickets.add(next.ticket);
        this.log.info(`${this.config.name}: sign-in of ${next.username} renewed`);
        void this.secrets.setTicket(this.config.id, serializeTicket(next));
      },
      onLapsed: () => {
        this.log.warn(`${this.config.name}: the sign-in of ${info.username} is no longer valid; sign in again`);
      },
    });
    const inner = await this.transportFactory(this.config, auth, this.onRequest);
    return { transport: new TicketTransport(inner, auth), endpoint: { baseUrl: this.config.url, trust, auth }, authKind: 'ticket' };
  }

  private async renewTicket(current: TicketInfo, trust: TrustConfig, signal?: AbortSignal): Promise<TicketInfo> {
    const [{ HttpTransport }, { anonymousAuthenticator, renewTicket }] = await Promise.all([import('../api/httpTransport'), import('../api/ticketAuth')]);
    // `/access/ticket` takes no credentials: the ticket itself is the password.
    const anonymous = new HttpTransport({ baseUrl: this.config.url, trust, auth: anonymousAuthenticator, onRequest: this.onRequest });
    try {
      return await renewTicket(anonymous, current, signal);
    } finally {
      await anonymous.close();
    }
  }

  /**
   * SecretStorage changed for this cluster: a new token or sign-in (here or in another window), a
   * sign-out, or our own renewal, which must not tear down the connection. True when reset.
   */
  async secretChanged(): Promise<boolean> {
    const connection = this.connection;
    // Nothing built yet: the next request reads the new secret anyway.
    if (!connection) return true;
    if (this.config.username) {
      // A connection being built may be about to use exactly this ticket.
      await connection.catch(() => undefined);
      const { parseStoredTicket } = await import('../api/ticketAuth');
      const stored = parseStoredTicket(await this.secrets.getTicket(this.config.id));
      // Reconnected meanwhile (a sign-in, another event): the new connection read the secret itself.
      if (this.connection !== connection) return false;
      if (stored !== undefined && this.ownTickets.has(stored.ticket)) return false;
    }
    this.log.info(`${this.config.name}: credentials changed; reconnecting`);
    await this.reset();
    return true;
  }

  private async tokenAccess(): Promise<SessionAccess> {
    const secret = await this.secrets.getTokenSecret(this.config.id);
    if (!this.config.tokenId || secret === undefined) {
      throw new MissingSecretError();
    }
    this.redactor.addSecret(secret);
    const auth = new TokenAuthenticator(this.config.tokenId, secret);
    const transport = await this.transportFactory(this.config, auth, this.onRequest);
    return { transport, endpoint: { baseUrl: this.config.url, trust: await trustFor(this.config), auth }, authKind: 'token' };
  }

  /** The local CLI needs no token: it runs as the user VS Code runs as (root on a PVE node). */
  private async pveshTransport(): Promise<Transport> {
    const { PveshTransport } = await import('../api/pveshTransport');
    const inner = new PveshTransport();
    return {
      request: async (request) => {
        const started = performance.now();
        this.requestCount++;
        try {
          return await inner.request(request);
        } finally {
          this.log.trace(`${this.config.name}: pvesh ${request.method} ${request.path} in ${(performance.now() - started).toFixed(0)} ms`);
        }
      },
      close: () => inner.close(),
    };
  }

  /** Drops the connection: after a secret or trust change, pooled sockets must not be reused. */
  async reset(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.ownTickets.clear();
    this.authPaused = false;
    if (connection) {
      try {
        await (await connection).transport.close();
      } catch {
        // a connection that never came up has nothing to close
      }
    }
  }

  /** Re-reads `/cluster/resources`. Concurrent callers share the one request in flight. */
  refresh(signal?: AbortSignal): Promise<void> {
    this.inFlight ??= this.doRefresh(signal).finally(() => {
      this.inFlight = undefined;
      if (!this.disposed) this.finishEmitter.fire(this);
    });
    return this.inFlight;
  }

  private async doRefresh(signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    this.refreshStartedAt = Date.now();
    // A slow answer keeps the old picture on screen: mark it stale once the wait gets long.
    const slow = setTimeout(() => { this.fire(false); }, SLOW_REFRESH_MS);
    this.fire(false);
    try {
      const client = await this.client();
      const resources = await client.resources(signal);
      if (this.disposed) return;
      this.indexValue = indexResources(resources);
      this.lastSuccess = Date.now();
      this.stateValue = { kind: 'ready' };
      this.authPaused = false;
      if (this.permissionsValue === undefined) void this.loadPermissions(client);
      this.lastDurationMs = performance.now() - started;
      this.fire(true);
    } catch (error) {
      this.lastDurationMs = performance.now() - started;
      if (this.disposed || isAbortError(error)) return;
      this.setError(error);
    } finally {
      clearTimeout(slow);
      this.refreshStartedAt = undefined;
    }
  }

  private setError(error: unknown): void {
    if (error instanceof MissingSecretError) {
      this.stateValue = { kind: 'needsSecret' };
    } else {
      const pveError = PveError.is(error) ? error : new PveError('network', error instanceof Error ? error.message : String(error), { cause: error });
      if (pveError.reason === 'unauthorized') this.authPaused = true;
      this.stateValue = { kind: 'error', error: pveError };
      this.log.error(`${this.config.name}: refresh failed`, pveError);
    }
    this.fire(false);
  }

  private async loadPermissions(client: PveClient): Promise<void> {
    try {
      this.permissionsValue = await client.permissions();
      this.fire(true);
    } catch (error) {
      this.log.warn(`${this.config.name}: cannot read /access/permissions (${PveError.is(error) ? error.reason : 'error'}); all actions stay visible.`);
    }
  }

  async reloadPermissions(): Promise<void> {
    this.permissionsValue = undefined;
    await this.loadPermissions(await this.client());
  }

  /** Finds a guest in the latest picture by VMID; the type and node come from the cluster. */
  findGuest(vmid: number): GuestEntry | undefined {
    return this.indexValue ? findGuestByVmid(this.indexValue, vmid) : undefined;
  }

  /**
   * The safe workflow's "re-read before acting": a fresh `/cluster/resources` (it finds a guest
   * that migrated) and then the guest's own `status/current` on its current node.
   */
  async reread(vmid: number, signal?: AbortSignal): Promise<{ entry: GuestEntry; status: GuestStatus } | undefined> {
    const client = await this.client();
    const resources = await client.resources(signal);
    this.indexValue = indexResources(resources);
    this.lastSuccess = Date.now();
    this.stateValue = { kind: 'ready' };
    this.fire(true);
    const entry = this.findGuest(vmid);
    if (!entry) return undefined;
    const status = await client.guestStatus({ node: entry.node, type: entry.type, vmid }, signal);
    // status/current is fresher than the resources feed (pvestatd updates that every ~10 s).
    const merged = toGuestEntry({
      ...entry.resource,
      status: status.qmpstatus && status.status === 'running' ? status.qmpstatus : status.status,
      ...(status.lock !== undefined ? { lock: status.lock } : { lock: undefined }),
    });
    return { entry: merged, status };
  }

  private fire(data: boolean): void {
    if (!this.disposed) this.changeEmitter.fire({ session: this, data });
  }

  dispose(): void {
    this.disposed = true;
    void this.reset();
    this.changeEmitter.dispose();
    this.finishEmitter.dispose();
  }
}

export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  /** `ticket`: a password cluster that is not signed in (never signed in, or signed out). */
  constructor(readonly kind: 'token' | 'ticket' = 'token') {
    super(kind === 'ticket' ? 'Not signed in to this cluster.' : 'No API token secret is stored for this cluster.');
  }
}
