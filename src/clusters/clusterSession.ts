import * as vscode from 'vscode';
import { TokenAuthenticator } from '../api/auth';
import type { PveClient } from '../api/client';
import { PveError, isAbortError } from '../api/errors';
import type { Redactor } from '../api/redact';
import type { Permissions } from '../api/schemas/permissions';
import type { GuestStatus } from '../api/schemas/guest';
import type { SchemaIssue } from '../api/schemas/parse';
import type { RequestEvent, Transport } from '../api/transport';
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
export type TransportFactory = (config: ClusterConfig, auth: TokenAuthenticator, onRequest: (event: RequestEvent) => void) => Promise<Transport>;

export const httpTransportFactory: TransportFactory = async (config, auth, onRequest) => {
  // undici is loaded on the first request, not on the activation path.
  const { HttpTransport } = await import('../api/httpTransport');
  return new HttpTransport({ baseUrl: config.url, trust: await trustFor(config), auth, onRequest });
};

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

  private connection: Promise<{ client: PveClient; transport: Transport }> | undefined;
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

  get isStale(): boolean {
    return this.indexValue !== undefined && this.stateValue.kind === 'error';
  }

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

  private async connect(): Promise<{ client: PveClient; transport: Transport }> {
    const transport = this.config.transport === 'pvesh' ? await this.pveshTransport() : await this.httpsTransport();
    const { PveClient } = await import('../api/client');
    const client = new PveClient(transport, (issue: SchemaIssue) => {
      this.log.warn(`${this.config.name}: unexpected data from ${issue.endpoint}${issue.index === undefined ? '' : ` item ${issue.index}`} (${issue.problem}): ${issue.detail}. Please report this.`);
    });
    return { client, transport };
  }

  private async httpsTransport(): Promise<Transport> {
    const secret = await this.secrets.getTokenSecret(this.config.id);
    if (!this.config.tokenId || secret === undefined) {
      throw new MissingSecretError();
    }
    this.redactor.addSecret(secret);
    const auth = new TokenAuthenticator(this.config.tokenId, secret);
    return this.transportFactory(this.config, auth, (event) => {
      this.requestCount++;
      this.log.trace(`${this.config.name}: ${event.method} ${event.path} → ${event.status ?? event.error ?? 'failed'} in ${event.durationMs.toFixed(0)} ms${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
    });
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
  constructor() {
    super('No API token secret is stored for this cluster.');
  }
}
