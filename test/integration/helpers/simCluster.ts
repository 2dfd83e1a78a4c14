import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterSession } from '../../../src/clusters/clusterSession';
import type { TestApi } from '../../../src/testApi';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/simulator';
import { testApi } from './extensionApi';
import { CANARY_SECRET } from './canary';
import { ScriptedPrompter } from './scriptedPrompter';

/** A simulator plus a configured cluster pointing at it, torn down after the suite. */
export interface SimCluster {
  readonly sim: Simulator;
  readonly api: TestApi;
  readonly clusterId: string;
  session(): ClusterSession;
  prompter: ScriptedPrompter;
  usePrompter(prompter: ScriptedPrompter): ScriptedPrompter;
  dispose(): Promise<void>;
}

export interface SimClusterOptions extends SimulatorOptions {
  readonly role?: 'admin' | 'readonly' | 'operator' | 'snapshot' | 'pool';
  readonly clusterId?: string;
  /** `pvesh`: the cluster is the "local node", reached through test/fixtures/pvesh/pvesh. */
  readonly transport?: 'https' | 'pvesh';
}

export type Transport = 'https' | 'pvesh';
export const TRANSPORTS: readonly Transport[] = ['https', 'pvesh'];

const PVESH_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'pvesh');

/** Puts the stand-in pvesh first on the extension host's PATH, forwarding to this simulator. */
function usePveshStandIn(sim: Simulator, token: { tokenId: string; secret: string }): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pvesh-ca-'));
  const ca = path.join(dir, 'ca.pem');
  fs.writeFileSync(ca, sim.certificatePem);
  const saved = { PATH: process.env['PATH'], url: process.env['PVESH_SIM_URL'], token: process.env['PVESH_SIM_TOKEN'], ca: process.env['PVESH_SIM_CA'] };
  process.env['PATH'] = `${PVESH_DIR}${path.delimiter}${saved.PATH ?? ''}`;
  process.env['PVESH_SIM_URL'] = sim.url;
  process.env['PVESH_SIM_TOKEN'] = `${token.tokenId}=${token.secret}`;
  process.env['PVESH_SIM_CA'] = ca;
  return () => {
    process.env['PATH'] = saved.PATH;
    for (const [key, value] of [['PVESH_SIM_URL', saved.url], ['PVESH_SIM_TOKEN', saved.token], ['PVESH_SIM_CA', saved.ca]] as const) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

export async function startSimCluster(options: SimClusterOptions = {}): Promise<SimCluster> {
  const api = await testApi();
  const sim = await startSimulator({ taskDurationMs: 40, haDelayMs: 60, certificate: { keyType: 'ec' }, ...options });
  const clusterId = options.clusterId ?? 'sim';
  // The admin role uses the canary token (same privileges: the user's Administrator role), so
  // the final canary suite can look for one known secret in everything the extension wrote.
  const role = options.role ?? 'admin';
  const canary = sim.state.addToken('automation@pve', { name: 'canary', secret: CANARY_SECRET, privsep: false });
  const token = role === 'admin' ? { tokenId: `automation@pve!${canary.name}`, secret: CANARY_SECRET } : sim.tokens[role];
  // Automatic refresh would race the tests' own refreshes: tests refresh explicitly.
  await vscode.workspace.getConfiguration('proxmox').update('refreshInterval', 0, vscode.ConfigurationTarget.Global);
  let restore = (): void => undefined;
  if (options.transport === 'pvesh') {
    restore = usePveshStandIn(sim, token);
    await api.manager.addLocalCluster({ id: clusterId, name: clusterId, url: 'pvesh:', transport: 'pvesh' });
  } else {
    await api.manager.addCluster({ id: clusterId, name: clusterId, url: sim.url, tokenId: token.tokenId, fingerprint: sim.fingerprint }, token.secret);
  }
  const session = (): ClusterSession => {
    const s = api.manager.get(clusterId);
    if (!s) throw new Error(`cluster ${clusterId} is not configured`);
    return s;
  };
  await session().refresh();
  const cluster: SimCluster = {
    sim,
    api,
    clusterId,
    session,
    prompter: new ScriptedPrompter(),
    usePrompter(prompter) {
      cluster.prompter = prompter;
      api.setPrompter(prompter);
      return prompter;
    },
    async dispose() {
      api.resetPrompter();
      await api.manager.removeCluster(clusterId);
      restore();
      await sim.close();
    },
  };
  api.setPrompter(cluster.prompter);
  return cluster;
}

/** Counts the state-changing requests the simulator received (POST/PUT/DELETE). */
export function writes(sim: Simulator): { method: string; apiPath: string }[] {
  return sim.requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, apiPath: r.apiPath ?? r.path }));
}
