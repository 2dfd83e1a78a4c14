import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ShellSession } from '../../../src/terminal/shellSessions';
import { CANARY_SECRET } from '../helpers/canary';
import { ScriptedPrompter, type Answer } from '../helpers/scriptedPrompter';
import { startSimCluster, type SimCluster } from '../helpers/simCluster';
import { leakedInto, startTicketCluster, waitFor, type TicketCluster } from '../session/ticketCluster';

const ID = 'shell-lab';

async function until<T>(get: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  let value: T | undefined;
  await waitFor(() => (value = get()) !== undefined, what, timeoutMs);
  return value as T;
}

async function transcriptMatches(shell: ShellSession, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => pattern.test(shell.pty.transcript), `${String(pattern)} in ${JSON.stringify(shell.pty.transcript.slice(-300))}`, timeoutMs);
}

suite('Open Shell: node shell and guest terminals in the VS Code terminal', () => {
  let c: TicketCluster;
  let prompter: ScriptedPrompter;

  suiteSetup(async () => {
    c = await startTicketCluster({ clusterId: ID, userid: 'root@pam' });
  });
  suiteTeardown(async () => {
    for (const shell of c.api.shells()) shell.terminal.dispose();
    await c.dispose();
  });
  setup(() => {
    prompter = c.usePrompter(new ScriptedPrompter());
  });
  teardown(() => {
    assert.deepEqual(prompter.problems, []);
  });

  async function open(command: string, arg: unknown, name: string): Promise<ShellSession> {
    const before = new Set(c.api.shells());
    await vscode.commands.executeCommand(command, arg);
    return until(() => c.api.shells().find((s) => !before.has(s) && s.name === name), `a terminal named ${name} (notifications: ${prompter.notifications.map((n) => n.message).join(' | ')})`);
  }

  test('node shell: banner, prompt, `echo` shows its output; the real size is sent before any input', async () => {
    c.sim.requests.length = 0;
    const shell = await open('proxmox.node.openShell', { clusterId: ID, node: 'pve1' }, 'Shell: pve1');
    assert.equal(vscode.window.terminals.includes(shell.terminal), true);
    await transcriptMatches(shell, /Grüße aus dem Rechenzentrum ✓[\s\S]*root@pve1:~# $/);
    shell.terminal.sendText('echo hello from vscode');
    await transcriptMatches(shell, /\r\nhello from vscode\r\nroot@pve1:~# $/);
    const record = c.sim.console.sessions.at(-1);
    assert.ok(record?.authenticated);
    assert.ok(record.resizes.length >= 1, 'the terminal size was sent');
    assert.ok(shell.pty.dimensions, 'VS Code opened the pty with its size');
    // The size at open, then whatever VS Code reported while the panel settled: the last one counts.
    assert.deepEqual(record.resizes.at(-1), [shell.pty.dimensions.columns, shell.pty.dimensions.rows]);
    assert.deepEqual(record.inputs, ['echo hello from vscode\r']);
    const create = c.sim.requests.find((r) => r.apiPath === '/nodes/pve1/termproxy');
    assert.ok(create?.csrf && create.credentials === 'ticket' && create.status === 200, 'the POST carries the ticket and the CSRF token');
    const upgrade = c.sim.requests.find((r) => r.upgrade);
    assert.ok(upgrade && upgrade.status === 101 && upgrade.credentials === 'ticket' && !upgrade.csrf, 'the websocket GET carries the cookie, no CSRF');
    assert.equal(upgrade.query.vncticket, '***');
  });

  test('a resize reaches the pty (stty size)', async () => {
    const shell = c.api.shells().find((s) => s.name === 'Shell: pve1');
    assert.ok(shell);
    shell.pty.setDimensions({ columns: 101, rows: 31 });
    shell.terminal.sendText('stty size');
    await transcriptMatches(shell, /\r\n31 101\r\n/);
    assert.deepEqual(c.sim.console.sessions.at(-1)?.resizes.at(-1), [101, 31]);
  });

  test('`exit` ends the session on the server; the output stays until a key closes the terminal', async () => {
    const shell = c.api.shells().find((s) => s.name === 'Shell: pve1');
    assert.ok(shell);
    const closed = new Promise<void>((resolve) => {
      const d = vscode.window.onDidCloseTerminal((t) => {
        if (t === shell.terminal) {
          d.dispose();
          resolve();
        }
      });
    });
    shell.terminal.sendText('exit');
    await transcriptMatches(shell, /logout\r\n[\s\S]*Session ended\. Press any key to close this terminal\./);
    assert.deepEqual(shell.pty.ended, { kind: 'remote' });
    assert.equal(c.sim.console.sessions.at(-1)?.end, 'exit');
    assert.ok(vscode.window.terminals.includes(shell.terminal), 'still open to read');
    shell.terminal.sendText('x', false);
    await closed;
    assert.ok(!c.api.shells().includes(shell));
  });

  test('container console: login prompt; closing the terminal hangs up the session on the server', async () => {
    const shell = await open('proxmox.guest.openShell', { clusterId: ID, vmid: 101 }, 'Console: CT 101 dns01');
    await transcriptMatches(shell, /Connected to tty 1\r\n\r\ndns01 login: $/);
    shell.terminal.sendText('root');
    await transcriptMatches(shell, /Password: $/);
    shell.terminal.sendText('secret');
    await transcriptMatches(shell, /root@dns01:~# $/);
    assert.ok(!shell.pty.transcript.includes('secret'), 'the password is not echoed');
    const record = c.sim.console.sessions.at(-1);
    shell.terminal.dispose();
    await waitFor(() => record?.end === 'clientClose', 'the server saw the close');
    assert.ok(!c.api.shells().includes(shell));
  });

  test('VM serial terminal (serial0: socket): the getty of web01', async () => {
    const shell = await open('proxmox.guest.openShell', { clusterId: ID, vmid: 100 }, 'Serial: VM 100 web01');
    await transcriptMatches(shell, /starting serial terminal on interface serial0\r\n\r\nweb01 login: $/);
    shell.terminal.dispose();
  });

  test('refused before anything starts: a VM without a serial port, a stopped guest', async () => {
    c.sim.requests.length = 0;
    await vscode.commands.executeCommand('proxmox.guest.openShell', { clusterId: ID, vmid: 102 });
    const serial = prompter.notifications.at(-1);
    assert.match(serial?.message ?? '', /^VM 102 db01 has no serial port, .* `qm set 102 -serial0 socket`/);
    assert.deepEqual(serial?.actions, ['Open Console in Browser']);
    await vscode.commands.executeCommand('proxmox.guest.openShell', { clusterId: ID, vmid: 103 });
    assert.match(prompter.notifications.at(-1)?.message ?? '', /^VM 103 build01 on pve2 is stopped: start it first\.$/);
    assert.equal(c.sim.requests.filter((r) => r.method === 'POST').length, 0, 'no termproxy was started');
  });

  test('web UI links: the exact console URLs and deep links reach openExternal, and survive the Uri round-trip', async () => {
    const opened: vscode.Uri[] = [];
    c.api.setOpenExternal((uri) => {
      opened.push(uri);
      return Promise.resolve(true);
    });
    try {
      await vscode.commands.executeCommand('proxmox.guest.openConsoleInBrowser', { clusterId: ID, vmid: 100 });
      await vscode.commands.executeCommand('proxmox.guest.openConsoleInBrowser', { clusterId: ID, vmid: 101 });
      await vscode.commands.executeCommand('proxmox.node.openConsoleInBrowser', { clusterId: ID, node: 'pve2' });
      await vscode.commands.executeCommand('proxmox.guest.openInWebUi', { clusterId: ID, vmid: 100 });
      await vscode.commands.executeCommand('proxmox.node.openInWebUi', { clusterId: ID, node: 'pve1' });
    } finally {
      c.api.setOpenExternal(undefined);
    }
    const base = c.sim.url;
    // What VS Code's opener hands to the browser for a Uri: encodeURI(uri.toString(true)).
    const sent = opened.map((u) => encodeURI(u.toString(true)));
    assert.deepEqual(sent, [
      `${base}/?console=kvm&novnc=1&vmid=100&vmname=web01&node=pve1&resize=off&cmd=`,
      `${base}/?console=lxc&xtermjs=1&vmid=101&vmname=dns01&node=pve1&cmd=`,
      `${base}/?console=shell&xtermjs=1&vmid=&vmname=&node=pve2&cmd=`,
      // The UI writes =qemu%2F100; the Uri decodes %2F to '/', which PVE's hash parser decodes the same.
      `${base}/#v1:0:=qemu/100:4:::::::`,
      `${base}/#v1:0:=node/pve1:4:::::::`,
    ]);
    assert.equal(opened[0]?.query, 'console=kvm&novnc=1&vmid=100&vmname=web01&node=pve1&resize=off&cmd=', 'the query keeps its = and &');
    assert.equal(opened[3]?.fragment, 'v1:0:=qemu/100:4:::::::');
    assert.notEqual(opened[0].toString(), sent[0], 'the encoded form (%3D, %26) would break the query: never use it');
    assert.deepEqual(opened[3].fragment.split(':').map((v) => (v.startsWith('=') ? decodeURIComponent(v.slice(1)) : v)), ['v1', '0', 'qemu/100', '4', '', '', '', '', '', '', '']);
  });
});

suite('Open Shell with API tokens: privileges and older servers', () => {
  let admin: SimCluster;
  let readonly: SimCluster;

  suiteSetup(async () => {
    admin = await startSimCluster({ clusterId: 'shell-token' });
    readonly = await startSimCluster({ clusterId: 'shell-readonly', role: 'readonly' });
  });
  suiteTeardown(async () => {
    for (const shell of admin.api.shells()) shell.terminal.dispose();
    await admin.dispose();
    await readonly.dispose();
  });

  async function refused(c: SimCluster, command: string, arg: unknown): Promise<{ message: string; actions: readonly string[] }> {
    const prompter = c.usePrompter(new ScriptedPrompter());
    const count = c.api.shells().length;
    await vscode.commands.executeCommand(command, arg);
    const note = prompter.notifications.at(-1) ?? (await prompter.nextNotification());
    assert.ok(note, 'a notification explains the refusal');
    assert.equal(c.api.shells().length, count, 'no terminal is left behind');
    assert.deepEqual(prompter.problems, []);
    return note;
  }

  test('a missing Sys.Console / VM.Console is named, with the roles that carry it', async () => {
    const node = await refused(readonly, 'proxmox.node.openShell', { clusterId: 'shell-readonly', node: 'pve1' });
    assert.equal(node.message, 'Permission denied: Sys.Console is needed on /nodes/pve1 (roles PVESysAdmin, PVEAdmin, Administrator). Ask an administrator, or sign in as a user who has it.');
    const ct = await refused(readonly, 'proxmox.guest.openShell', { clusterId: 'shell-readonly', vmid: 101 });
    assert.match(ct.message, /^Permission denied: VM\.Console is needed on \/vms\/101 \(roles PVEVMUser, PVEVMAdmin, PVEAdmin\)/);
    assert.deepEqual(ct.actions, ['Open in Browser']);
  });

  test('older PVE: a node shell with a token is a 500, a guest terminal closes without OK; both say to sign in with a password', async () => {
    admin.sim.console.options.tokenNodeShell = false;
    admin.sim.console.options.tokenGuestTerminal = false;
    try {
      const node = await refused(admin, 'proxmox.node.openShell', { clusterId: 'shell-token', node: 'pve1' });
      const tokenId = admin.session().config.tokenId ?? '';
      assert.ok(node.message.startsWith(`The server refused the node shell: value '${tokenId}' does not look like a valid user name. Proxmox VE before 9.1 does not accept API tokens for node shells.`), node.message);
      assert.deepEqual(node.actions, ['Add Cluster with Password…', 'Open in Browser']);
      const ct = await refused(admin, 'proxmox.guest.openShell', { clusterId: 'shell-token', vmid: 101 });
      assert.match(ct.message, /^The terminal was refused after connecting\. Proxmox VE accepts API tokens for guest terminals only since the April 2026 updates/);
      assert.equal(admin.sim.console.sessions.at(-1)?.end, 'authFailed');
    } finally {
      admin.sim.console.options.tokenNodeShell = true;
      admin.sim.console.options.tokenGuestTerminal = true;
    }
  });

  test('current PVE: a token opens a container console (and a node shell gets /bin/login)', async () => {
    const prompter = admin.usePrompter(new ScriptedPrompter());
    await vscode.commands.executeCommand('proxmox.guest.openShell', { clusterId: 'shell-token', vmid: 101 });
    const ct = await until(() => admin.api.shells().find((s) => s.name === 'Console: CT 101 dns01'), `the CT console (${prompter.notifications.map((n) => n.message).join(' | ')})`);
    await transcriptMatches(ct, /dns01 login: $/);
    ct.terminal.dispose();
    await vscode.commands.executeCommand('proxmox.node.openShell', { clusterId: 'shell-token', node: 'pve1' });
    const node = await until(() => admin.api.shells().find((s) => s.name === 'Shell: pve1'), 'the node shell');
    await transcriptMatches(node, /pve1 login: $/);
    node.terminal.dispose();
    assert.equal(admin.sim.console.sessions.at(-1)?.user, admin.session().config.tokenId);
  });

  test('no token secret or VNC ticket in any log line', () => {
    const lines = admin.api.logLines().join('\n');
    assert.deepEqual(leakedInto(lines, [admin.sim.tokens.admin.secret, readonly.sim.tokens.readonly.secret, CANARY_SECRET]), []);
    assert.ok(!/PVEVNC:[0-9A-F]{8}::/.test(lines), 'no VNC ticket');
  });
});

suite('Connect via SSH: addresses from the guest, a pick, ssh in a terminal', () => {
  let c: SimCluster;
  let dir: string;
  let record: string;

  suiteSetup(async () => {
    c = await startSimCluster({ clusterId: 'ssh-lab' });
    // A stand-in for ssh that records its arguments and connects nowhere.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-ssh-'));
    record = path.join(dir, 'args.txt');
    const script = path.join(dir, 'ssh');
    fs.writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\necho "fake ssh $*"\nsleep 2\n`, { mode: 0o755 });
    await vscode.workspace.getConfiguration('proxmox').update('ssh.path', script, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('proxmox').update('ssh.path', undefined, vscode.ConfigurationTarget.Global);
    for (const t of vscode.window.terminals.filter((x) => x.name.startsWith('SSH: '))) t.dispose();
    await c.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function ssh(vmid: number, answers: Answer[]): Promise<{ result: unknown; prompter: ScriptedPrompter }> {
    const prompter = c.usePrompter(new ScriptedPrompter(answers));
    const result = await vscode.commands.executeCommand('proxmox.guest.connectSsh', { clusterId: 'ssh-lab', vmid });
    assert.deepEqual(prompter.problems, []);
    assert.equal(prompter.remaining, 0);
    return { result, prompter };
  }

  test('Remote - SSH is not installed here, so a terminal runs ssh', () => {
    assert.equal(vscode.extensions.getExtension('ms-vscode-remote.remote-ssh'), undefined);
  });

  test('several addresses: a pick (configured NIC first, IPv4 first, docker0 dropped), then the user, then `ssh -- user@address`', async () => {
    if (fs.existsSync(record)) fs.rmSync(record);
    let offered: string[] = [];
    const { result } = await ssh(100, [
      {
        pick: (items) => {
          offered = items.map((i) => i.label);
          return items.find((i) => i.label === '2001:db8::100')?.value;
        },
        expect: /Connect to VM 100 web01 via SSH/,
      },
      { input: 'admin', expect: /SSH to 2001:db8::100/ },
    ]);
    assert.deepEqual(offered, ['10.0.0.100', '2001:db8::100']);
    assert.deepEqual(result, { address: '2001:db8::100', user: 'admin', via: 'terminal' });
    const terminal = await until(() => vscode.window.terminals.find((t) => t.name === 'SSH: admin@2001:db8::100'), 'the SSH terminal');
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.deepEqual(options.shellArgs, ['--', 'admin@2001:db8::100']);
    await waitFor(() => fs.existsSync(record), 'the stand-in ssh ran', 15_000);
    assert.equal(fs.readFileSync(record, 'utf8'), '--\nadmin@2001:db8::100\n');
    terminal.dispose();
  });

  test('one address (a container): no pick', async () => {
    const { result, prompter } = await ssh(101, [{ input: 'root' }]);
    assert.deepEqual(result, { address: '10.0.0.101', user: 'root', via: 'terminal' });
    assert.equal(prompter.inputs[0]?.value, 'root');
    const terminal = await until(() => vscode.window.terminals.find((t) => t.name === 'SSH: root@10.0.0.101'), 'the SSH terminal');
    assert.deepEqual((terminal.creationOptions as vscode.TerminalOptions).shellArgs, ['--', 'root@10.0.0.101']);
    terminal.dispose();
  });

  test('clear messages: agent not enabled, agent not answering, guest stopped; nothing else asked', async () => {
    c.sim.state.setGuestConfig(102, { agent: undefined });
    let r = await ssh(102, []);
    assert.match(r.prompter.notifications.at(-1)?.message ?? '', /^The QEMU guest agent is not enabled for VM 102 db01/);
    c.sim.state.setGuestConfig(102, { agent: '1' });
    c.sim.state.setGuestBehaviour(102, { agentRunning: false });
    r = await ssh(102, []);
    assert.equal(r.prompter.notifications.at(-1)?.message, 'The guest agent of VM 102 db01 did not answer (QEMU guest agent is not running). Is qemu-guest-agent installed and running in the guest?');
    c.sim.state.setGuestBehaviour(102, { agentRunning: true });
    r = await ssh(103, []);
    assert.match(r.prompter.notifications.at(-1)?.message ?? '', /^VM 103 build01 is stopped: start it first/);
    r = await ssh(107, []);
    assert.match(r.prompter.notifications.at(-1)?.message ?? '', /^CT 107 cache01 is stopped/);
  });
});
