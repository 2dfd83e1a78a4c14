import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import * as vscode from 'vscode';
import type { ClusterSession } from '../../../src/clusters/clusterSession';
import type { TestApi } from '../../../src/testApi';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/simulator';
import { testApi } from '../helpers/extensionApi';
import { ScriptedPrompter } from '../helpers/scriptedPrompter';

/**
 * A simulator with a canary user (random password with URL-special characters, TOTP, recovery
 * keys, Administrator on /) whose secrets must never show up in a log, a setting or a state value.
 */
export interface CanaryUser {
  readonly userid: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly recovery: readonly string[];
  /** The current TOTP code by the simulator's clock, `steps` × 30 s ahead. */
  code(steps?: number): string;
}

export function canaryUser(sim: Simulator, name = 'canary'): CanaryUser {
  const password = `c4n@ry:${randomBytes(9).toString('base64')}/+=&%`;
  const secret = new Secret({ size: 20 });
  const recovery = [0, 1].map(() => randomBytes(8).toString('hex').replace(/(.{4})(?=.)/g, '$1-'));
  const userid = `${name}@pve`;
  sim.state.addUser({ userid, password, totp: { secret: secret.base32, recovery } });
  sim.state.addAcl({ path: '/', ugid: userid, type: 'user', roleid: 'Administrator' });
  const totp = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 });
  return { userid, password, totpSecret: secret.base32, recovery, code: (steps = 0) => totp.generate({ timestamp: sim.clock.nowMs() + steps * 30_000 }) };
}

export interface TicketCluster {
  readonly sim: Simulator;
  readonly api: TestApi;
  readonly clusterId: string;
  session(): ClusterSession;
  usePrompter(prompter: ScriptedPrompter): ScriptedPrompter;
  /** Every ticket and CSRF token this cluster has held (for the canary checks). */
  readonly secretsSeen: Set<string>;
  noteStoredTicket(): Promise<void>;
  dispose(): Promise<void>;
}

/** A password cluster that is already signed in (the ticket issued directly by the simulator). */
export async function startTicketCluster(options: SimulatorOptions & { clusterId: string; userid: string }): Promise<TicketCluster> {
  const api = await testApi();
  const sim = await startSimulator({ taskDurationMs: 40, haDelayMs: 60, certificate: { keyType: 'ec' }, ...options });
  await vscode.workspace.getConfiguration('proxmox').update('refreshInterval', 0, vscode.ConfigurationTarget.Global);
  const issued = sim.issueTicket(options.userid);
  const secretsSeen = new Set<string>([issued.ticket, issued.CSRFPreventionToken]);
  await api.manager.addTicketCluster(
    { id: options.clusterId, name: options.clusterId, url: sim.url, username: options.userid, fingerprint: sim.fingerprint },
    { username: options.userid, ticket: issued.ticket, csrf: issued.CSRFPreventionToken, issuedAt: Date.now() },
  );
  const session = (): ClusterSession => {
    const s = api.manager.get(options.clusterId);
    if (!s) throw new Error(`cluster ${options.clusterId} is not configured`);
    return s;
  };
  await session().refresh();
  const cluster: TicketCluster = {
    sim,
    api,
    clusterId: options.clusterId,
    session,
    secretsSeen,
    usePrompter(prompter) {
      api.setPrompter(prompter);
      return prompter;
    },
    async noteStoredTicket() {
      const text = await api.manager.secrets.getTicket(options.clusterId);
      if (!text) return;
      const stored = JSON.parse(text) as { ticket: string; csrf: string };
      secretsSeen.add(stored.ticket);
      secretsSeen.add(stored.csrf);
    },
    async dispose() {
      api.resetPrompter();
      api.setOpenExternal(undefined);
      await api.manager.removeCluster(options.clusterId);
      await sim.close();
    },
  };
  api.setPrompter(new ScriptedPrompter());
  return cluster;
}

/** Fails with every secret-looking string found in the extension's log. */
export function leakedInto(text: string, secrets: Iterable<string>): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) found.push(`${secret.slice(0, 12)}…`);
  }
  return found;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
