// startSimulator(): a Proxmox VE API on 127.0.0.1 over HTTPS, seeded with the demo cluster (or any
// ClusterSpec), with handles for tests: the live model, the request log, fault injection,
// certificate rotation, task overrides, the clock. See test/sim/README.md.
import { ApiHandler, type ProxyErrorOptions } from './api';
import { createCertificate, type CertificateBundle, type CertificateOptions } from './certificates';
import { SimClock } from './clock';
import { ConsoleService, type ConsoleOptions, type TermSessionRecord } from './console';
import { DEMO_TOKEN_IDS, demoCluster } from './demoCluster';
import { FaultInjector } from './faults';
import { HaManager } from './ha';
import { PveProxy } from './http/pveproxy';
import { ctStartWork, ctStopWork } from './lxcPower';
import type { ClusterSpec } from './model';
import { vmStartWork, vmStopWork } from './qemuPower';
import type { RequestRecord } from './requestLog';
import { SimHttpsServer, type TlsVersions } from './server';
import type { SimContext } from './simContext';
import { ClusterState } from './state';
import { TaskManager, type SimTask, type TaskOverride } from './tasks';
import { TicketService } from './tickets';

export interface SimulatorOptions {
  /** The cluster to serve; default: the demo cluster. */
  readonly cluster?: ClusterSpec;
  /** Nodes to take offline at start (e.g. ['pve3']). */
  readonly offlineNodes?: readonly string[];
  /** Loopback only: '127.0.0.1' (default), any other 127.x.y.z, '::1' or 'localhost'. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Duration of a task's work phase (default 300 ms). */
  readonly taskDurationMs?: number;
  /** Per task type, e.g. { qmsnapshot: 1000, qmshutdown: 50 }. */
  readonly taskDurations?: Readonly<Record<string, number>>;
  /** How long 401 answers are held back (PVE: 3000 ms; default 0 for tests). */
  readonly unauthorizedDelayMs?: number;
  /** Added to every request (default 0). */
  readonly latencyMs?: number;
  /** true (default): error bodies carry `message` like PVE >= 8.3; false: reason phrase only. */
  readonly messageInBody?: boolean;
  /** gzip bodies above 1 KiB when the client accepts it (default true, like pveproxy). */
  readonly compression?: boolean;
  /** Keep-alive idle timeout (PVE: 5000 ms). */
  readonly idleTimeoutMs?: number;
  /** Config lock wait before "got timeout" (PVE: 10000 ms). */
  readonly lockTimeoutMs?: number;
  /** Length of one PVE second inside tasks, for shutdown timeouts (default 10 ms). */
  readonly secondMs?: number;
  /** Delay of the HA manager after hastart/hastop (default 2 x taskDurationMs). */
  readonly haDelayMs?: number;
  /** Certificate mode and names (default self-signed for 127.0.0.1/localhost). */
  readonly certificate?: CertificateOptions;
  readonly tls?: Partial<TlsVersions>;
  /** How a request to an offline node fails (default 595 "No route to host", no delay). */
  readonly proxyError?: Partial<ProxyErrorOptions>;
  /** Receives one line per request. */
  readonly log?: (line: string) => void;
  /** How many request records `requests` keeps (oldest dropped first; default 50,000). */
  readonly requestLogLimit?: number;
  /** termproxy deadlines and older-server switches (see ConsoleOptions). */
  readonly console?: Partial<ConsoleOptions>;
}

export interface TokenInfo {
  readonly tokenId: string;
  readonly secret: string;
  readonly privsep: boolean;
}

/**
 * Every token by its id, plus the demo roles of DEMO_TOKEN_IDS (present whenever the cluster has
 * the demo users, i.e. for demoCluster() and bigCluster()).
 */
export type SimTokens = Readonly<Record<string, TokenInfo>> & Readonly<Record<keyof typeof DEMO_TOKEN_IDS, TokenInfo>>;

export interface TaskControl {
  /** Changes the outcome of the next matching task(s) (warnings, error, duration). */
  override(o: TaskOverride): void;
  get(upid: string): SimTask | undefined;
  /** Resolves when the task has ended. */
  wait(upid: string): Promise<SimTask>;
}

export interface Simulator {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** SHA-256 of the served certificate as PVE shows it ("AB:CD:…"). */
  readonly fingerprint: string;
  readonly certificatePem: string;
  /** The CA in CA mode. */
  readonly caPem?: string;
  readonly tokens: SimTokens;
  readonly state: ClusterState;
  readonly requests: RequestRecord[];
  readonly faults: FaultInjector;
  readonly tasks: TaskControl;
  /** Terminal sessions: live `options` (deadlines, older-server switches) and every connection's record. */
  readonly console: { readonly options: ConsoleOptions; readonly sessions: readonly TermSessionRecord[]; readonly waitingPorts: readonly number[] };
  readonly clock: SimClock;
  /** The live HTTP behaviour settings; tests may change them (e.g. `sim.options.latencyMs = 200`). */
  readonly options: { unauthorizedDelayMs: number; latencyMs: number; messageInBody: boolean; idleTimeoutMs: number; compression: boolean };
  /** A ticket + CSRF token for a user, as POST /access/ticket would return them (no password check). */
  issueTicket(userid: string): { ticket: string; CSRFPreventionToken: string };
  /** New key pair (optionally CA-signed); existing connections keep the old certificate. */
  rotateCertificate(opts?: CertificateOptions): Promise<{ fingerprint: string; certificatePem: string; caPem?: string }>;
  /** Closes idle keep-alive sockets (FIN); returns how many. */
  closeIdleConnections(): number;
  /** Drops every open connection at once. */
  dropConnections(): void;
  openConnections(): number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  // Any 127/8 address is loopback too; e2e tests use 127.0.0.2 so that VS Code's opener does not
  // treat the simulator's links as a localhost port to forward.
  if (!LOOPBACK.has(host) && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`the simulator listens on loopback only, not '${host}'`);
  const clock = new SimClock();
  const spec = opts.cluster ?? demoCluster({ offlineNodes: opts.offlineNodes });
  const state = new ClusterState(spec, clock);
  for (const n of opts.offlineNodes ?? []) if (state.node(n) && n !== state.localNode) state.setNodeOnline(n, false);

  const taskDurationMs = opts.taskDurationMs ?? 300;
  const tasks = new TaskManager(state, clock, {
    taskDurationMs,
    taskDurations: opts.taskDurations ?? {},
    lockTimeoutMs: opts.lockTimeoutMs ?? 10000,
  });
  const haDelayMs = opts.haDelayMs ?? taskDurationMs * 2;
  const ha = new HaManager(state, () => haDelayMs);
  const tickets = new TicketService(clock);
  const consoles = new ConsoleService(state, tickets, tasks, opts.console);
  const ctx: SimContext = { state, tasks, clock, ha, timing: { secondMs: opts.secondMs ?? 10, haDelayMs }, console: consoles };
  ha.attach({
    start(guest, done) {
      const type = guest.type === 'qemu' ? 'qmstart' : 'vzstart';
      const t = tasks.spawn(guest.node, type, String(guest.vmid), 'root@pam', async (tc) => {
        tc.log('task started by HA resource agent');
        if (guest.type === 'qemu') await vmStartWork(ctx, tc, guest.node, guest.vmid, false);
        else await ctStartWork(ctx, tc, guest.node, guest.vmid, false);
      });
      void t.done.then(done);
    },
    stop(guest, timeoutSec, done) {
      const type = guest.type === 'qemu' ? (timeoutSec > 0 ? 'qmshutdown' : 'qmstop') : timeoutSec > 0 ? 'vzshutdown' : 'vzstop';
      const t = tasks.spawn(guest.node, type, String(guest.vmid), 'root@pam', async (tc) => {
        tc.log('task started by HA resource agent');
        if (guest.type === 'qemu') await vmStopWork(ctx, tc, guest.node, guest.vmid, timeoutSec);
        else await ctStopWork(ctx, tc, guest.node, guest.vmid, { skiplock: false, shutdown: timeoutSec > 0, timeoutSec, forceStop: true });
      });
      void t.done.then(done);
    },
  });
  for (const h of [...(spec.taskHistory ?? [])].sort((a, b) => b.agoSec - b.durationSec - (a.agoSec - a.durationSec))) tasks.addHistory(h);

  const proxyError: ProxyErrorOptions = { status: 595, reason: 'No route to host', delayMs: 0, ...opts.proxyError };
  const api = new ApiHandler(ctx, tickets, () => proxyError);
  const faults = new FaultInjector();
  const requests: RequestRecord[] = [];
  const proxyOptions = {
    unauthorizedDelayMs: opts.unauthorizedDelayMs ?? 0,
    latencyMs: opts.latencyMs ?? 0,
    messageInBody: opts.messageInBody ?? true,
    compression: opts.compression ?? true,
    idleTimeoutMs: opts.idleTimeoutMs ?? 5000,
    requestLogLimit: opts.requestLogLimit ?? 50000,
  };
  const proxy = new PveProxy(ctx, api, tickets, faults, requests, proxyOptions, opts.log);

  let cert: CertificateBundle = await createCertificate(opts.certificate);
  const localNode = state.node(state.localNode);
  if (localNode) localNode.fingerprint = cert.fingerprint;
  const server = new SimHttpsServer(proxy, cert, { minVersion: opts.tls?.minVersion ?? 'TLSv1.2', maxVersion: opts.tls?.maxVersion ?? 'TLSv1.3' });
  const port = await server.listen(host, opts.port ?? 0);

  const tokenMap: Record<string, TokenInfo> = {};
  for (const user of state.users.values()) {
    for (const t of user.tokens.values()) {
      const tokenId = `${user.userid}!${t.name}`;
      tokenMap[tokenId] = { tokenId, secret: t.secret, privsep: t.privsep };
    }
  }
  for (const [role, id] of Object.entries(DEMO_TOKEN_IDS)) {
    const info = tokenMap[id];
    if (info) tokenMap[role] = info;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const sim: Simulator = {
    url: `https://${urlHost}:${port}`,
    host,
    port,
    get fingerprint() {
      return cert.fingerprint;
    },
    get certificatePem() {
      return cert.certPem;
    },
    get caPem() {
      return cert.ca?.certPem;
    },
    tokens: tokenMap as SimTokens,
    state,
    requests,
    faults,
    clock,
    options: proxyOptions,
    console: {
      options: consoles.options,
      sessions: consoles.sessions,
      get waitingPorts() {
        return consoles.waitingPorts;
      },
    },
    tasks: {
      override(o) {
        tasks.overrides.push({ ...o });
      },
      get: (upid) => tasks.get(upid),
      async wait(upid) {
        const t = tasks.get(upid);
        if (!t) throw new Error(`unknown task ${upid}`);
        await t.done;
        return t;
      },
    },
    issueTicket(userid) {
      return { ticket: tickets.assemble(userid), CSRFPreventionToken: tickets.assembleCsrf(userid) };
    },
    async rotateCertificate(certOpts) {
      const mode = certOpts?.mode ?? opts.certificate?.mode;
      cert = await createCertificate({ ...opts.certificate, ...certOpts, ca: certOpts?.ca ?? (mode === 'ca' ? cert.ca : undefined) });
      server.setCertificate(cert);
      const n = state.node(state.localNode);
      if (n) n.fingerprint = cert.fingerprint;
      return { fingerprint: cert.fingerprint, certificatePem: cert.certPem, caPem: cert.ca?.certPem };
    },
    closeIdleConnections: () => server.closeIdleConnections(),
    dropConnections: () => {
      server.dropConnections(false);
    },
    openConnections: () => server.openConnections,
    async close() {
      consoles.close();
      tasks.close();
      ha.close();
      await server.close();
    },
  };
  return sim;
}
