import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GuestAction } from '../../src/api/client';
import { applicableActions } from '../../src/model/actionPolicy';
import { ScriptedPrompter } from './helpers/scriptedPrompter';
import { startSimCluster } from './helpers/simCluster';

/**
 * Soak: a cluster answering 20 % of requests with a fault (latency, resets before and after the
 * request is applied, 502/503, malformed JSON, HTML, dropped keep-alive) while the tree refreshes and
 * actions run for SOAK_SECONDS (default 150). Afterwards: the tree matches the simulator, no action
 * was sent twice, no unhandled rejection, memory flat.
 */
const SOAK_MS = Number(process.env['SOAK_SECONDS'] ?? '150') * 1000;

suite('Soak: random faults on 20 % of requests', () => {
  test(`refreshes and actions for ${SOAK_MS / 1000} s`, async function () {
    this.timeout(SOAK_MS + 120_000);
    const c = await startSimCluster({ clusterId: 'soak', taskDurationMs: 150, haDelayMs: 200 });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => { rejections.push(reason); };
    process.on('unhandledRejection', onRejection);
    const faults = c.sim.faults.random({
      seed: 20261130,
      probability: 0.2,
      actions: [
        { kind: 'latency', ms: 300 },
        { kind: 'resetBefore' },
        { kind: 'resetAfter' },
        { kind: 'status', status: 502, reason: 'Bad Gateway' },
        { kind: 'status', status: 503, reason: 'Service Unavailable' },
        { kind: 'malformedJson' },
        { kind: 'html' },
        { kind: 'closeAfterResponse' },
      ],
    });
    // Every confirmation is accepted with its first button; every notification is recorded.
    const prompter = new ScriptedPrompter();
    prompter.confirm = (request) => {
      prompter.confirms.push(request);
      return Promise.resolve(request.buttons[0]);
    };
    c.usePrompter(prompter);
    const candidates = [101, 102, 103, 104, 105, 109, 110];
    const duplicates: string[] = [];
    const memory: number[] = [];
    let refreshes = 0;
    let actions = 0;
    const started = Date.now();
    const refresher = (async () => {
      while (Date.now() - started < SOAK_MS) {
        await c.session().refresh();
        refreshes++;
        await new Promise((r) => setTimeout(r, 700));
      }
    })();
    let i = 0;
    while (Date.now() - started < SOAK_MS) {
      const vmid = candidates[i++ % candidates.length]!;
      const entry = c.session().findGuest(vmid);
      if (!entry) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const r = entry.resource;
      const possible = applicableActions({ type: entry.type, status: r.status, lock: r.lock, template: r.template, hastate: r.hastate }).filter((a) => a !== 'hibernate' || i % 5 === 0);
      const action: GuestAction | undefined = possible[i % Math.max(1, possible.length)];
      if (!action) continue;
      const before = c.sim.requests.length;
      await vscode.commands.executeCommand(`proxmox.guest.${action}`, { clusterId: 'soak', vmid });
      actions++;
      const posts = c.sim.requests.slice(before).filter((q) => q.method === 'POST' && q.apiPath?.includes(`/${vmid}/status/`));
      if (posts.length > 1) duplicates.push(`${action} ${vmid}: ${posts.length} POSTs`);
      if (actions % 10 === 0) memory.push(process.memoryUsage().heapUsed);
    }
    await refresher;
    faults.remove();
    process.off('unhandledRejection', onRejection);

    // Settle: let running tasks end, then compare the picture with the simulator.
    await new Promise((r) => setTimeout(r, 1500));
    await c.session().refresh();
    assert.equal(c.session().state.kind, 'ready');
    const mismatches: string[] = [];
    for (const g of c.sim.state.guests.values()) {
      const entry = c.session().findGuest(g.vmid);
      const sim = g.running ? (g.qmpstatus === 'paused' ? 'paused' : 'running') : g.config['lock'] === 'suspended' ? 'hibernated' : 'stopped';
      const shown = entry?.power;
      const expected = c.sim.state.nodes.find((n) => n.name === g.node && !n.online) ? 'unknown' : sim;
      if (shown !== expected) mismatches.push(`${g.vmid}: tree ${shown ?? 'missing'}, simulator ${expected}`);
      if (entry && entry.node !== g.node) mismatches.push(`${g.vmid}: tree node ${entry.node}, simulator ${g.node}`);
    }
    // Flat = the floor does not rise: the lowest heap of the second half against the lowest of the
    // first half (single samples swing with the collector by tens of MB).
    const half = Math.floor(memory.length / 2);
    const floor = (samples: number[]): number => Math.min(...samples) / 1024 / 1024;
    const growth = memory.length >= 4 ? floor(memory.slice(half)) - floor(memory.slice(0, half)) : 0;
    console.log(`soak: ${Math.round((Date.now() - started) / 1000)} s, ${refreshes} refreshes, ${actions} actions, ${c.sim.requests.length} requests, ${faults.hits} faults injected, heap ${memory.map((m) => Math.round(m / 1024 / 1024)).join('→')} MB`);
    try {
      assert.deepEqual(mismatches, [], 'the tree does not match the simulator');
      assert.deepEqual(duplicates, [], 'an action was sent twice');
      assert.deepEqual(rejections.map(String), [], 'unhandled rejections');
      assert.ok(faults.hits > 50, `only ${faults.hits} faults were injected`);
      assert.ok(actions > 20, `only ${actions} actions ran`);
      assert.ok(growth < 30, `the heap floor rose ${growth.toFixed(1)} MB during the soak`);
      assert.ok(prompter.notifications.length >= actions / 2);
    } finally {
      await c.dispose();
    }
  });
});
