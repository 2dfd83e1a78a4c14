import * as vscode from 'vscode';
import type { ClusterSession } from '../../../src/clusters/clusterSession';
import type { TestApi } from '../../../src/testApi';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/simulator';
import { testApi } from './extensionApi';
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
}

export async function startSimCluster(options: SimClusterOptions = {}): Promise<SimCluster> {
  const api = await testApi();
  const sim = await startSimulator({ taskDurationMs: 40, haDelayMs: 60, certificate: { keyType: 'ec' }, ...options });
  const clusterId = options.clusterId ?? 'sim';
  const token = sim.tokens[options.role ?? 'admin'];
  // Automatic refresh would race the tests' own refreshes: tests refresh explicitly.
  await vscode.workspace.getConfiguration('proxmox').update('refreshInterval', 0, vscode.ConfigurationTarget.Global);
  await api.manager.addCluster({ id: clusterId, name: clusterId, url: sim.url, tokenId: token.tokenId, fingerprint: sim.fingerprint }, token.secret);
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
