import * as vscode from 'vscode';
import type { Redactor } from '../api/redact';
import type { TicketInfo } from '../api/ticketAuth';
import type { ClusterConfig } from '../model/connectionConfig';
import type { Logger } from '../ui/logger';
import { readClusterConfigs, writeClusterConfigs } from './clusterSettings';
import { ClusterSession, httpTransportFactory, type SessionChange, type TransportFactory } from './clusterSession';
import type { SecretStore } from './secretStore';

/**
 * The configured clusters and one session per cluster. Sessions survive unrelated settings edits;
 * a changed URL, token id or trust setting gives that cluster a fresh session (and drops its
 * pooled sockets, which were accepted under the old trust).
 */
export class ClusterManager implements vscode.Disposable {
  private readonly sessionsById = new Map<string, ClusterSession>();
  private readonly sessionsEmitter = new vscode.EventEmitter<void>();
  private readonly sessionEmitter = new vscode.EventEmitter<SessionChange>();
  private readonly finishEmitter = new vscode.EventEmitter<ClusterSession>();
  readonly onDidFinishRefresh = this.finishEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChangeSessions = this.sessionsEmitter.event;
  readonly onDidChangeSession = this.sessionEmitter.event;
  problems: string[] = [];

  constructor(
    readonly secrets: SecretStore,
    private readonly redactor: Redactor,
    private readonly log: Logger,
    private readonly transportFactory: TransportFactory = httpTransportFactory,
  ) {
    this.reload();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('proxmox.clusters')) this.reload();
      }),
      secrets.onDidChange((clusterId) => {
        const session = this.sessionsById.get(clusterId);
        // A session that stored its own renewed ticket keeps its connection.
        if (session) void session.secretChanged().then((reset) => (reset ? session.refresh() : undefined));
      }),
    );
  }

  get sessions(): ClusterSession[] {
    return [...this.sessionsById.values()];
  }

  get(clusterId: string): ClusterSession | undefined {
    return this.sessionsById.get(clusterId);
  }

  reload(): void {
    const { clusters, problems } = readClusterConfigs();
    const previousProblems = this.problems.join();
    this.problems = problems;
    for (const problem of problems) this.log.warn(`Settings: ${problem}`);
    let changed = false;
    const wanted = new Set(clusters.map((c) => c.id));
    for (const [id, session] of this.sessionsById) {
      if (!wanted.has(id)) {
        session.dispose();
        this.sessionsById.delete(id);
        changed = true;
      }
    }
    const ordered = new Map<string, ClusterSession>();
    for (const config of clusters) {
      const existing = this.sessionsById.get(config.id);
      if (existing && sameConnection(existing.config, config)) {
        if (existing.config.name !== config.name) {
          (existing as { config: ClusterConfig }).config = config;
          changed = true;
        }
        ordered.set(config.id, existing);
        continue;
      }
      existing?.dispose();
      const session = new ClusterSession(config, this.secrets, this.redactor, this.log, this.transportFactory);
      session.onDidChange((change) => { this.sessionEmitter.fire(change); });
      session.onDidFinishRefresh((finished) => { this.finishEmitter.fire(finished); });
      ordered.set(config.id, session);
      changed = true;
    }
    if ([...ordered.keys()].join() !== [...this.sessionsById.keys()].join()) changed = true;
    this.sessionsById.clear();
    for (const [id, session] of ordered) this.sessionsById.set(id, session);
    // Problems count as content: the tree must show why an entry was refused, not the welcome.
    void vscode.commands.executeCommand('setContext', 'proxmox.hasClusters', this.sessionsById.size > 0 || problems.length > 0);
    if (changed || problems.join() !== previousProblems) this.sessionsEmitter.fire();
  }

  async addCluster(config: ClusterConfig, secret: string): Promise<void> {
    // Secret first: a cluster entry without its secret would show a spurious "secret needed".
    await this.secrets.setTokenSecret(config.id, secret);
    this.redactor.addSecret(secret);
    await writeClusterConfigs((list) => [...list.filter((e) => e.id !== config.id), { ...config }]);
    this.reload();
  }

  /** A password cluster: the signed-in ticket goes to SecretStorage first, the rest to settings. */
  async addTicketCluster(config: ClusterConfig, ticket: TicketInfo): Promise<void> {
    const { serializeTicket, ticketSecrets } = await import('../api/ticketAuth');
    for (const secret of ticketSecrets(ticket)) this.redactor.addSecret(secret);
    await this.secrets.setTicket(config.id, serializeTicket(ticket));
    await writeClusterConfigs((list) => [...list.filter((e) => e.id !== config.id), { ...config }]);
    this.reload();
  }

  /** A cluster that needs no secret (the local pvesh). */
  async addLocalCluster(config: ClusterConfig): Promise<void> {
    await writeClusterConfigs((list) => [...list.filter((e) => e.id !== config.id), { ...config }]);
    this.reload();
  }

  async updateCluster(id: string, patch: Partial<ClusterConfig>): Promise<void> {
    await writeClusterConfigs((list) =>
      list.map((e) => {
        if (e.id !== id) return e;
        const merged: Record<string, unknown> = { ...e, ...patch };
        return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
      }),
    );
    this.reload();
  }

  async removeCluster(id: string): Promise<void> {
    await writeClusterConfigs((list) => list.filter((e) => e.id !== id));
    await this.secrets.deleteAll(id);
    this.reload();
  }

  dispose(): void {
    for (const session of this.sessionsById.values()) session.dispose();
    this.sessionsById.clear();
    this.sessionsEmitter.dispose();
    this.sessionEmitter.dispose();
    this.finishEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function sameConnection(a: ClusterConfig, b: ClusterConfig): boolean {
  return a.url === b.url && a.transport === b.transport && a.tokenId === b.tokenId && a.username === b.username && a.fingerprint === b.fingerprint && a.caFile === b.caFile;
}
