import * as assert from 'node:assert/strict';
import { request } from 'node:https';
import * as vscode from 'vscode';
import type { ClusterItem } from '../../../src/tree/clusterItem';
import type { TreeNode } from '../../../src/tree/treeNode';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { testApi } from '../helpers/extensionApi';
import { ScriptedPrompter, type Answer } from '../helpers/scriptedPrompter';
import { canaryUser, leakedInto, waitFor, type CanaryUser } from './ticketCluster';

const ID = 'pw-lab';

function storedClusters(): Record<string, unknown>[] {
  return (vscode.workspace.getConfiguration('proxmox').inspect<Record<string, unknown>[]>('clusters')?.globalValue ?? []);
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** A raw write with the ticket cookie and, optionally, the CSRF token. */
function rawPost(sim: Simulator, path: string, cookieTicket: string, csrf: string | undefined): Promise<{ status: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const body = 'description=raw';
    const req = request(
      new URL(`/api2/json${path}`, sim.url),
      {
        method: 'PUT',
        ca: sim.certificatePem,
        headers: { Cookie: `PVEAuthCookie=${encodeURIComponent(cookieTicket)}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(body.length), ...(csrf ? { CSRFPreventionToken: csrf } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '' }); });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

suite('Password sign-in: tickets, TOTP, CSRF, renewal, sign-out', () => {
  let sim: Simulator;
  let user: CanaryUser;
  const seen = new Set<string>();
  const codes: string[] = [];

  suiteSetup(async () => {
    sim = await startSimulator({ taskDurationMs: 40, haDelayMs: 60, certificate: { keyType: 'ec' } });
    user = canaryUser(sim);
    await vscode.workspace.getConfiguration('proxmox').update('refreshInterval', 0, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    const api = await testApi();
    api.resetPrompter();
    await api.manager.removeCluster(ID).catch(() => undefined);
    await sim.close();
  });

  async function run(command: string, answers: Answer[], arg?: unknown): Promise<ScriptedPrompter> {
    const api = await testApi();
    const prompter = new ScriptedPrompter(answers);
    api.setPrompter(prompter);
    await vscode.commands.executeCommand(command, ...(arg === undefined ? [] : [arg]));
    assert.deepEqual(prompter.problems, [], command);
    assert.equal(prompter.remaining, 0, `${command}: not every scripted answer was asked for`);
    return prompter;
  }

  async function stored(): Promise<{ username: string; ticket: string; csrf: string; issuedAt: number } | undefined> {
    const text = await (await testApi()).manager.secrets.getTicket(ID);
    if (!text) return undefined;
    const info = JSON.parse(text) as { username: string; ticket: string; csrf: string; issuedAt: number };
    seen.add(info.ticket);
    seen.add(info.csrf);
    return info;
  }

  async function clusterChildren(): Promise<string[]> {
    const api = await testApi();
    const roots = await Promise.resolve(api.tree.getChildren());
    const cluster = roots.find((n) => n.id === ID) as ClusterItem | undefined;
    assert.ok(cluster, 'the cluster is in the tree');
    const kids: TreeNode[] = await Promise.resolve(cluster.getChildren());
    return kids.map((k) => label(k.getTreeItem()));
  }

  test('Add Cluster with User Name and Password: trust, user without realm → realm pick, password, TOTP; only the ticket is kept', async () => {
    const api = await testApi();
    sim.requests.length = 0;
    const code = user.code();
    codes.push(code);
    const prompter = await run('proxmox.cluster.addWithPassword', [
      { input: sim.url, expect: /cluster address/ },
      { confirm: 'Trust and Pin', expect: /Do you trust the certificate/ },
      { input: 'canary', expect: /user name/ },
      { pick: (items) => items.find((i) => i.label === 'pve')?.value, expect: /Realm of canary/ },
      { input: user.password, expect: /Password of canary@pve/ },
      { input: code, expect: /second factor for canary@pve/ },
      { input: ID, expect: /display name/ },
    ]);
    assert.ok(prompter.inputs[2]?.password, 'the password box hides the input');
    assert.ok(prompter.inputs[3]?.password, 'the code box hides the input');
    assert.match(prompter.inputs[3].prompt, /6-digit code .* or a recovery key/);
    const entry = storedClusters().find((c) => c.id === ID);
    assert.deepEqual(entry, { id: ID, name: ID, url: sim.url, username: 'canary@pve', fingerprint: sim.fingerprint });
    const info = await stored();
    assert.ok(info);
    assert.equal(info.username, 'canary@pve');
    assert.match(info.ticket, /^PVE:canary@pve:[0-9A-F]{8}::/);
    // Two-step TFA: /access/ticket with new-format=1, then tfa-challenge with totp:<code> in password.
    const signIns = sim.requests.filter((r) => r.apiPath === '/access/ticket');
    assert.deepEqual(signIns.map((r) => Object.keys(r.params).sort().join(',')), ['new-format,password,username', 'new-format,password,tfa-challenge,username']);
    assert.ok(signIns.every((r) => r.credentials === 'none' && r.params.otp === undefined));
    const session = api.manager.get(ID);
    assert.ok(session);
    await session.refresh();
    assert.equal(session.state.kind, 'ready');
    assert.equal(session.authKind, 'ticket');
    const afterSignIn = sim.requests.filter((r) => r.apiPath !== '/access/ticket' && r.apiPath !== '/access/domains');
    assert.ok(afterSignIn.length > 0 && afterSignIn.every((r) => r.credentials === 'ticket'), 'everything after the sign-in uses the ticket');
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('proxmox').inspect('clusters'));
    for (const secret of [user.password, info.ticket, info.csrf]) {
      assert.ok(!settingsText.includes(secret), 'no secret in settings');
      assert.ok(!api.stateValues().includes(secret), 'no secret in globalState/workspaceState');
    }
  });

  test('Test Connection works over the signed-in session and names the user', async () => {
    await run('proxmox.cluster.testConnection', [{ confirm: undefined, expect: /Connected to pw-lab[\s\S]*User canary@pve may: browse, power actions and snapshots/ }], ID);
  });

  test('every write carries CSRFPreventionToken; the simulator refuses one without it', async () => {
    sim.requests.length = 0;
    await run('proxmox.guest.start', [], { clusterId: ID, vmid: 103 });
    await run('proxmox.snapshot.editDescription', [{ input: 'edited with a ticket' }], { clusterId: ID, vmid: 100, snapshot: 'base' });
    const writes = sim.requests.filter((r) => r.method !== 'GET' && r.apiPath !== '/access/ticket');
    assert.ok(writes.length >= 2, JSON.stringify(writes.map((w) => `${w.method} ${w.apiPath ?? ''}`)));
    assert.ok(writes.every((w) => w.csrf && w.credentials === 'ticket' && w.status === 200), JSON.stringify(writes.map((w) => [w.method, w.apiPath, w.csrf, w.status])));
    assert.ok(sim.requests.filter((r) => r.method === 'GET').every((r) => !r.csrf), 'reads need no CSRF token and get none');
    const info = await stored();
    assert.ok(info);
    assert.deepEqual(await rawPost(sim, '/nodes/pve1/qemu/100/snapshot/base/config', info.ticket, undefined), { status: 401, reason: 'Permission denied - invalid csrf token' });
    assert.equal((await rawPost(sim, '/nodes/pve1/qemu/100/snapshot/base/config', info.ticket, info.csrf)).status, 200);
  });

  test('Sign Out forgets the ticket and says that PVE cannot revoke it; the tree offers "Sign in…"', async () => {
    const api = await testApi();
    const prompter = await run('proxmox.cluster.signOut', [], ID);
    assert.equal(await api.manager.secrets.getTicket(ID), undefined);
    assert.match(prompter.notifications.at(-1)?.message ?? '', /cannot revoke tickets/);
    const session = api.manager.get(ID);
    await waitFor(() => session?.state.kind === 'needsSecret', 'needsSecret');
    assert.deepEqual(await clusterChildren(), ['Sign in…']);
  });

  test('a wrong password, then the right one; a wrong TOTP code, then the right one (the half ticket is reused)', async () => {
    sim.requests.length = 0;
    const code = user.code(1);
    codes.push(code);
    const prompter = await run('proxmox.cluster.signIn', [
      { input: 'canary@pve', expect: /user name/ },
      { input: 'not-the-password', expect: /Password of canary@pve/ },
      { input: user.password, expect: /sign-in failed/i },
      { input: '000000', expect: /second factor/ },
      { input: code, expect: /not accepted \(wrong, already used, or expired\)/ },
    ], ID);
    assert.match(prompter.notifications.at(-1)?.message ?? '', /Signed in to pw-lab as canary@pve/);
    const signIns = sim.requests.filter((r) => r.apiPath === '/access/ticket');
    assert.deepEqual(signIns.map((r) => r.status), [401, 200, 401, 200]);
    assert.equal(signIns.filter((r) => r.params['tfa-challenge'] !== undefined).length, 2, 'the second code answers the same challenge, no new password round');
    const session = (await testApi()).manager.get(ID);
    await waitFor(() => session?.state.kind === 'ready', 'ready');
    await stored();
  });

  test('a reused TOTP code is refused; a recovery key works once', async () => {
    await run('proxmox.cluster.signOut', [], ID);
    const reused = codes.at(-1) ?? '';
    const prompter = await run('proxmox.cluster.signIn', [
      { input: 'canary@pve' },
      { input: user.password },
      { input: reused, expect: /second factor/ },
      { input: user.recovery[0] ?? '', expect: /not accepted/ },
    ], ID);
    assert.match(prompter.inputs[2]?.prompt ?? '', /recovery key \(xxxx-xxxx-xxxx-xxxx, 2 left\)/);
    assert.match(prompter.notifications.at(-1)?.message ?? '', /Signed in/);
    await stored();
    // The next challenge offers one recovery key less.
    await run('proxmox.cluster.signOut', [], ID);
    const third = await run('proxmox.cluster.signIn', [{ input: 'canary@pve' }, { input: user.password }, { input: undefined, expect: /1 left/ }], ID);
    assert.equal(third.notifications.length, 0, 'dismissing the code box ends the sign-in quietly');
    sim.clock.advance(60_000);
    const fresh = user.code();
    codes.push(fresh);
    await run('proxmox.cluster.signIn', [{ input: 'canary@pve' }, { input: user.password }, { input: fresh }], ID);
    await stored();
    const session = (await testApi()).manager.get(ID);
    await waitFor(() => session?.state.kind === 'ready', 'ready');
  });

  test('renewal: a ticket older than 30 minutes is renewed before use and stored, without a new sign-in', async () => {
    const api = await testApi();
    const before = await stored();
    assert.ok(before);
    await api.manager.secrets.setTicket(ID, JSON.stringify({ ...before, issuedAt: Date.now() - 40 * 60_000 }));
    const session = api.manager.get(ID);
    assert.ok(session);
    await waitFor(async () => { await session.refresh(); return session.state.kind === 'ready'; }, 'ready');
    sim.requests.length = 0;
    await session.reset();
    await session.refresh();
    await waitFor(async () => ((await stored())?.issuedAt ?? 0) > Date.now() - 60_000, 'the renewed ticket in SecretStorage');
    const renewals = sim.requests.filter((r) => r.apiPath === '/access/ticket');
    assert.equal(renewals.length, 1);
    assert.equal(renewals[0]!.params.password, '***');
    assert.equal(renewals[0]!.credentials, 'none');
    assert.equal(session.state.kind, 'ready', session.state.kind === 'error' ? `${session.state.error.message}\n${api.logLines().slice(-15).join('\n')}` : '');
  });

  test('a lapsed ticket (2 h on this machine\'s clock) is never sent; the tree says "Sign in again…"', async () => {
    const api = await testApi();
    const info = await stored();
    assert.ok(info);
    await api.manager.secrets.setTicket(ID, JSON.stringify({ ...info, issuedAt: Date.now() - 7_200_000 }));
    const session = api.manager.get(ID);
    assert.ok(session);
    // The same ticket string: the session keeps its connection until it is reset (a window reload).
    await session.reset();
    sim.requests.length = 0;
    await session.refresh();
    await session.refresh();
    assert.equal(sim.requests.length, 0, 'nothing was sent with the lapsed ticket');
    assert.ok(session.state.kind === 'error' && session.state.error.reason === 'unauthorized');
    const kids = await clusterChildren();
    assert.match(kids[0] ?? '', /sign-in has expired/);
    assert.ok(kids.includes('Sign in again…'), kids.join(' | '));
  });

  test('a ticket the server no longer accepts: one 401, then nothing; Sign In brings it back', async () => {
    const api = await testApi();
    const code = user.code(1);
    codes.push(code);
    await run('proxmox.cluster.signIn', [{ input: 'canary@pve' }, { input: user.password }, { input: code }], ID);
    await stored();
    const session = api.manager.get(ID);
    assert.ok(session);
    await waitFor(() => session.state.kind === 'ready', 'ready');
    sim.clock.advance(7_201_000);
    try {
      sim.requests.length = 0;
      await session.refresh();
      await session.refresh();
      assert.deepEqual(sim.requests.map((r) => r.status), [401]);
      assert.ok(session.state.kind === 'error' && session.state.error.reason === 'unauthorized');
      assert.ok((await clusterChildren()).includes('Sign in again…'));
    } finally {
      sim.clock.advance(-7_201_000);
    }
    sim.clock.advance(90_000);
    const later = user.code();
    codes.push(later);
    await run('proxmox.cluster.signIn', [{ input: 'canary@pve' }, { input: user.password }, { input: later }], ID);
    await stored();
    await waitFor(() => api.manager.get(ID)?.state.kind === 'ready', 'ready again');
  });

  test('no password, TOTP code, ticket or CSRF token in any log line (canary)', async () => {
    const api = await testApi();
    const lines = api.logLines();
    assert.ok(lines.some((l) => l.includes('/access/ticket')), 'the log does record the sign-in requests');
    const text = lines.join('\n');
    assert.deepEqual(leakedInto(text, [user.password, ...user.recovery, ...seen]), []);
    assert.ok(!/totp:|recovery:/.test(text), 'no second-factor answer');
    assert.ok(codes.every((c) => !new RegExp(`(^|\\D)${c}(\\D|$)`).test(text)), 'no TOTP code');
    assert.ok(!lines.some((l) => /PVE:canary@pve:[0-9A-F]{8}::/.test(l)), 'no ticket shape');
  });
});
