import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ALL_TOOL_NAMES, GuestActionTools, ReadTools, SnapshotTools } from '../../../src/tools/toolNames';
import { call, FIRST_BUTTON, markdownText, resultText, startToolSim, tool, ToolPrompter, type ToolSim } from './helpers';

/** A token secret this test chose, so every answer can be searched for it and for any piece of it. */
const CANARY = `canary${randomBytes(12).toString('hex')}`;
const WINDOW = 10;

function leaks(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + WINDOW <= CANARY.length; i++) {
    const piece = CANARY.slice(i, i + WINDOW);
    if (text.includes(piece) || text.includes(encodeURIComponent(piece))) found.push(piece);
  }
  return found;
}

/** Inputs that make each tool do real work on the canary cluster. */
const INPUTS: Readonly<Record<string, object>> = {
  [ReadTools.listClusters]: {},
  [ReadTools.listGuests]: { includeTemplates: true },
  [ReadTools.findGuest]: { name: 'sandbox' },
  [ReadTools.guestStatus]: { vmid: 110 },
  [ReadTools.guestConfig]: { vmid: 110 },
  [ReadTools.listSnapshots]: { vmid: 110 },
  [ReadTools.clusterStatus]: {},
  [ReadTools.nodeStatus]: { node: 'pve1' },
  [ReadTools.listTasks]: { limit: 50 },
  [ReadTools.taskLog]: { upid: 'UPID:pve1:00000001:00000001:00000001:qmstart:110:root@pam:' },
  [ReadTools.apiGet]: { path: '/nodes/pve1/qemu/110/config' },
  [GuestActionTools.start]: { vmid: 110 },
  [GuestActionTools.shutdown]: { vmid: 102 },
  [GuestActionTools.reboot]: { vmid: 102 },
  [GuestActionTools.stop]: { vmid: 102 },
  [GuestActionTools.reset]: { vmid: 102 },
  [GuestActionTools.suspend]: { vmid: 102 },
  [GuestActionTools.hibernate]: { vmid: 102 },
  [GuestActionTools.resume]: { vmid: 104 },
  [SnapshotTools.create]: { vmid: 110, snapshot: 'canarytest', description: 'x' },
  [SnapshotTools.delete]: { vmid: 110, snapshot: 'demo' },
  [SnapshotTools.rollback]: { vmid: 110, snapshot: 'demo' },
};

suite('Agent tools: no secret in any tool output (canary)', () => {
  let env: ToolSim;
  const outputs: string[] = [];

  suiteSetup(async () => {
    env = await startToolSim({ clusterId: 'canary', canarySecret: CANARY });
    // The server echoes the secret in text it controls: raw, and split by CR/LF.
    env.sim.state.setGuestConfig(110, { description: `token ${CANARY} end` });
    env.sim.state.setGuestConfig(103, { description: `split ${CANARY.slice(0, 14)}\r\n${CANARY.slice(14)} end` });
  });

  suiteTeardown(async () => {
    await env.dispose();
  });

  const record = (label: string, text: string): void => {
    outputs.push(`${label}: ${text}`);
    assert.deepEqual(leaks(text), [], `${label} shows (part of) the secret:\n${text}`);
  };

  test('every tool, prepared and invoked, dismissed and confirmed, never shows the secret', async () => {
    assert.deepEqual(Object.keys(INPUTS).sort(), [...ALL_TOOL_NAMES].sort());
    const none = new vscode.CancellationTokenSource().token;
    for (const name of ALL_TOOL_NAMES) {
      const input = INPUTS[name] ?? {};
      const prepared = await tool(env.api, name).prepareInvocation?.({ input }, none);
      record(`${name} prepare`, `${markdownText(prepared?.invocationMessage)}\n${prepared?.confirmationMessages?.title ?? ''}\n${markdownText(prepared?.confirmationMessages?.message)}`);
      // Dismissed, then confirmed with the first button the modal offers.
      const dismiss = new ToolPrompter(undefined);
      env.api.setPrompter(dismiss);
      record(`${name} dismissed`, (await call(env.api, name, input)).text);
      for (const modal of dismiss.confirms) record(`${name} modal`, `${modal.message}\n${modal.detail}`);
      env.api.setPrompter(new ToolPrompter(FIRST_BUTTON));
      record(`${name} confirmed`, resultText(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined })));
    }
  });

  test('server text carrying the secret is masked, also when split by CR/LF', async () => {
    const config = (await call(env.api, ReadTools.guestConfig, { vmid: 110 })).text;
    record('config 110', config);
    assert.match(config, /^description: "token «redacted» end"$/m);
    const split = (await call(env.api, ReadTools.guestConfig, { vmid: 103 })).text;
    record('config 103', split);
    assert.match(split, /^description: "split «redacted» end"$/m);
    const api = (await call(env.api, ReadTools.apiGet, { path: '/nodes/pve2/qemu/103/config' })).text;
    record('api 103', api);
    assert.match(api, /"description": "split «redacted» end"/);
  });

  test('after the token is revoked, the 401 explanations show no secret either', async () => {
    env.sim.state.revokeToken('automation@pve!canary');
    for (const name of [ReadTools.listClusters, ReadTools.guestStatus, ReadTools.apiGet, GuestActionTools.stop]) {
      const text = (await call(env.api, name, INPUTS[name] ?? {})).text;
      record(`${name} after revocation`, text);
    }
    const status = (await call(env.api, ReadTools.guestStatus, { vmid: 110 })).text;
    assert.match(status, /Authentication failed \(401\)|could not be read/);
    assert.ok(outputs.length > 60, `only ${outputs.length} outputs checked`);
  });
});
