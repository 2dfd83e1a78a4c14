// Action latency through the real commands in the extension host, on the demo cluster over
// loopback: from the confirmation (stop) or the command (start, which asks nothing) to VS Code
// receiving the guest's tree item in its new state, minus the task's own duration on the server.
// Also the requests each action sends. The poll schedule is the extension's own
// (DEFAULT_POLL_SCHEDULE_MS); bench/node/polling.ts compares schedules.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/testApi';
import type { RequestSummary } from '../sim/protocol';
import { addSimCluster, BenchPrompter, control, quietSettings, recorder, RUNS, showClustersView, testApi, TreeProbe } from './hostContext';

const CLUSTER = 'demo';
const VMID = 102; // db01: a running QEMU VM on pve1, not HA-managed, no lock
const GUEST_ID = `/qemu/${VMID}`;
const TASK_DURATIONS_MS = [300, 1000] as const;

interface Kinds {
  readonly total: number;
  readonly polls: number;
  readonly writes: number;
  readonly reads: number;
}

function classify(requests: readonly RequestSummary[]): Kinds {
  const polls = requests.filter((r) => r.method === 'GET' && /^\/nodes\/[^/]+\/tasks\/[^/]+\/status$/.test(r.apiPath)).length;
  const writes = requests.filter((r) => r.method !== 'GET').length;
  return { total: requests.length, polls, writes, reads: requests.length - polls - writes };
}

suite('Action latency', () => {
  let api: TestApi;
  let probe: TreeProbe;
  const prompter = new BenchPrompter();

  suiteSetup(async () => {
    api = await testApi();
    await quietSettings();
    const sim = await control().call('start', { name: CLUSTER, cluster: { kind: 'demo' }, taskDurationMs: 300 });
    await addSimCluster(api, CLUSTER, sim);
    await api.manager.get(CLUSTER)?.refresh();
    api.setPrompter(prompter);
    probe = new TreeProbe(api.tree);
    const seen = { rendered: false };
    probe.onTreeItem = (node) => { if (node.id.endsWith(GUEST_ID)) seen.rendered = true; };
    await showClustersView();
    await probe.settled(500);
    if (!seen.rendered) throw new Error(`VS Code never asked for the tree item of ${VMID}`);
  });

  suiteTeardown(async () => {
    probe.dispose();
    api.resetPrompter();
    await api.manager.removeCluster(CLUSTER);
    await control().call('stop', { name: CLUSTER });
  });

  for (const durationMs of TASK_DURATIONS_MS) {
    test(`stop and start, task of ${durationMs} ms`, async () => {
      const samples = { stop: [] as number[], start: [] as number[] };
      const requests = { stop: [] as Kinds[], start: [] as Kinds[] };
      for (let run = 0; run < RUNS; run++) {
        // Spread over ±20 %: where a task ends relative to the polls decides the wait (bench/node/polling.ts).
        const taskMs = Math.round(durationMs * (0.8 + (0.4 * (run + 0.5)) / RUNS));
        for (const action of ['stop', 'start'] as const) {
          const expected = action === 'stop' ? 'stopped' : 'running';
          await control().call('overrideTask', { name: CLUSTER, id: String(VMID), durationMs: taskMs });
          await control().call('takeRequests', { name: CLUSTER });
          prompter.confirmedAt = undefined;
          let shownAt: number | undefined;
          probe.onTreeItem = (node, item) => {
            const value = item.contextValue ?? '';
            if (shownAt === undefined && node.id.endsWith(GUEST_ID) && value.includes(`;status=${expected};`) && !value.includes(';busy;')) shownAt = performance.now();
          };
          const commandAt = performance.now();
          await vscode.commands.executeCommand(`proxmox.guest.${action}`, { clusterId: CLUSTER, vmid: VMID });
          if (shownAt === undefined) await probe.settled(200, 3000);
          const seen = await control().call('takeRequests', { name: CLUSTER });
          const from = action === 'stop' ? prompter.confirmedAt : commandAt;
          if (from === undefined) throw new Error(`${action}: no confirmation was asked`);
          if (shownAt === undefined) throw new Error(`${action}: the tree never showed ${VMID} ${expected}`);
          samples[action].push(shownAt - from - taskMs);
          requests[action].push(classify(seen));
        }
      }
      const scenario = `action latency, task of ${durationMs} ms ±20 % (extension host, loopback)`;
      recorder.add({ scenario, metric: 'stop: confirmation → tree shows stopped, minus task', unit: 'ms', samples: samples.stop, goal: { op: '<', value: 500 } });
      recorder.add({ scenario, metric: 'start: command → tree shows running, minus task', unit: 'ms', samples: samples.start, goal: { op: '<', value: 500 }, note: 'start asks no confirmation; includes the re-read before acting' });
      for (const action of ['stop', 'start'] as const) {
        recorder.add({ scenario, metric: `${action}: requests per action`, unit: 'requests', samples: requests[action].map((k) => k.total) });
        recorder.add({ scenario, metric: `${action}:   of which task status polls`, unit: 'requests', samples: requests[action].map((k) => k.polls) });
        recorder.add({ scenario, metric: `${action}:   of which other reads`, unit: 'requests', samples: requests[action].map((k) => k.reads), note: 're-read before and after: /cluster/resources + status/current' });
      }
    });
  }
});
