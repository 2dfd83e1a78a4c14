// Terminal sessions as PVE runs them (CONSOLE.md §2; pve-manager Nodes.pm termproxy, qemu-server
// and pve-container termproxy, proxmox-termproxy main.rs): `POST …/termproxy` starts a worker task
// whose termproxy listens on a port 5900-5999 for ONE connection within 10 s; pveproxy's
// vncwebsocket bridges a websocket to it; termproxy reads `<user>:<ticket>\n` within 10 s, checks
// the ticket (pinned, bound to user + path + port, -20 s < age < 40 s) and the privilege, answers
// `OK`, then parses `0:<n>:<data>` / `1:<cols>:<rows>:` / `2` from the byte stream exactly like
// process_queue in main.rs (including its quirks with split headers) and sends raw pty output.
// Switches emulate older servers: node shells refusing API tokens (before pve-manager 9.0.13) and
// guest terminals whose auth step rejects token ids (before qemu-server 9.1.7/pve-container 6.1.3).
import { die } from './errors';
import { LoginProgram, MessageProgram, ShellProgram, type TermProgram } from './fakeShell';
import type { WebSocketBackend, WebSocketPeer } from './http/websocket';
import type { SimGuest } from './model';
import { PermissionChecker } from './permissions';
import type { ClusterState } from './state';
import type { TaskManager } from './tasks';
import type { TicketService } from './tickets';

export interface ConsoleOptions {
  /** How long termproxy waits for the websocket's TCP connection (PVE: 10 s). */
  acceptTimeoutMs: number;
  /** How long termproxy waits for the `user:ticket` line (PVE: 10 s). */
  authTimeoutMs: number;
  /** false = before pve-manager 9.0.13 (PVE < 9.1): `POST /nodes/{node}/termproxy` with a token is a 500. */
  tokenNodeShell: boolean;
  /** false = before the April 2026 packages: a token id fails termproxy's auth step (no `OK`). */
  tokenGuestTerminal: boolean;
  /** Send every output chunk with a multi-byte character split across two frames (default true). */
  splitUtf8: boolean;
}

export const DEFAULT_CONSOLE_OPTIONS: ConsoleOptions = {
  acceptTimeoutMs: 10_000,
  authTimeoutMs: 10_000,
  tokenNodeShell: true,
  tokenGuestTerminal: true,
  splitUtf8: true,
};

export type TermTarget =
  | { readonly kind: 'node'; readonly node: string; readonly cmd?: string }
  | { readonly kind: 'qemu' | 'lxc'; readonly node: string; readonly vmid: number; readonly serial?: string };

export type SessionEnd = 'exit' | 'clientClose' | 'disconnect' | 'authFailed' | 'authTimeout' | 'protocolError';

/** What a test can check about one terminal connection. */
export interface TermSessionRecord {
  readonly port: number;
  readonly path: string;
  /** Who created it (the `user` of the create answer). */
  readonly authid: string;
  readonly target: TermTarget;
  /** The user name of the auth line, once read. */
  user?: string;
  authenticated: boolean;
  /** Bytes of every `0:` message, decoded as UTF-8. */
  readonly inputs: string[];
  readonly resizes: [cols: number, rows: number][];
  keepAlives: number;
  /** Client data frames received (the auth line included). */
  frames: number;
  end?: SessionEnd;
}

interface TermListener {
  readonly port: number;
  readonly path: string;
  readonly authid: string;
  readonly ticket: string;
  readonly target: TermTarget;
  readonly timer: NodeJS.Timeout;
  readonly finish: (error?: string) => void;
}

const PORT_MIN = 5900;
const PORT_MAX = 5999;
const AUTH_LINE_MAX = 4096;

function nodeBanner(node: string): string {
  return [
    `Linux ${node} 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z) x86_64`,
    '',
    'The programs included with the Debian GNU/Linux system are free software.',
    'Proxmox VE simulator — Grüße aus dem Rechenzentrum ✓',
    'Last login: Mon Jan  5 09:12:44 2026 from 192.168.1.20',
    '',
  ].join('\r\n');
}

export class ConsoleService {
  readonly options: ConsoleOptions;
  private readonly listeners = new Map<number, TermListener>();
  /** Every connection accepted so far, in order. */
  readonly sessions: TermSessionRecord[] = [];
  private readonly live = new Set<TermSession>();

  constructor(
    private readonly state: ClusterState,
    private readonly tickets: TicketService,
    private readonly tasks: TaskManager,
    options: Partial<ConsoleOptions> = {},
  ) {
    this.options = { ...DEFAULT_CONSOLE_OPTIONS, ...options };
  }

  /** Ports with a termproxy waiting for its connection. */
  get waitingPorts(): number[] {
    return [...this.listeners.keys()];
  }

  /** The handler part of `POST …/termproxy`: a VNC ticket, a port and a running worker task. */
  create(target: TermTarget, authid: string, localNode: string): { user: string; ticket: string; port: number; upid: string } {
    const port = this.freePort();
    const path = target.kind === 'node' ? `/nodes/${target.node}` : `/vms/${target.vmid}`;
    const ticket = this.tickets.assembleVnc(authid, path, port);
    const perm = target.kind === 'node' ? 'Sys.Console' : 'VM.Console';
    const command = target.kind === 'node' ? '/bin/login' : target.kind === 'qemu' ? `/usr/sbin/qm terminal ${target.vmid} -escape 0` : `/usr/bin/dtach -A /var/run/dtach/vzctlconsole${target.vmid} -r winch -z lxc-console -n ${target.vmid} -e -1`;
    let finish: (error?: string) => void = () => undefined;
    const ended = new Promise<string | undefined>((resolve) => {
      finish = resolve;
    });
    const task = this.tasks.spawn(localNode, target.kind === 'node' ? 'vncshell' : 'vncproxy', target.kind === 'node' ? '' : String(target.vmid), authid, async (tc) => {
      tc.log(`starting termproxy on port ${port}`);
      const error = await ended;
      if (error !== undefined) throw die(`command '/usr/bin/termproxy ${port} --path ${path} --perm ${perm} -- ${command}' failed: exit code 1`);
    });
    const timer = setTimeout(() => {
      // listen_and_accept: "failed waiting for client: timed out"
      this.listeners.delete(port);
      finish('timed out');
    }, this.options.acceptTimeoutMs);
    this.listeners.set(port, { port, path, authid, ticket, target, timer, finish });
    return { user: authid, ticket, port, upid: task.upid };
  }

  private freePort(): number {
    const used = new Set<number>([...this.listeners.keys(), ...[...this.live].map((s) => s.record.port)]);
    for (let p = PORT_MIN; p <= PORT_MAX; p++) if (!used.has(p)) return p;
    throw die('unable to find free port (5900-5999)');
  }

  /** pveproxy's tcp_connect to localhost:<port>; the listener accepts exactly one connection. */
  accept(port: number): { attach(peer: WebSocketPeer): WebSocketBackend } | undefined {
    const listener = this.listeners.get(port);
    if (!listener) return undefined;
    this.listeners.delete(port);
    clearTimeout(listener.timer);
    return {
      attach: (peer) => {
        const record: TermSessionRecord = { port, path: listener.path, authid: listener.authid, target: listener.target, authenticated: false, inputs: [], resizes: [], keepAlives: 0, frames: 0 };
        this.sessions.push(record);
        const session = new TermSession(this, listener, record, peer);
        this.live.add(session);
        return session;
      },
    };
  }

  /** Called by a session when it is over. */
  ended(session: TermSession): void {
    this.live.delete(session);
  }

  /** termproxy's authenticate(): the pinned ticket, the VNC ticket itself, and the privilege. */
  verify(listener: TermListener, user: string, ticket: string): boolean {
    if (ticket !== listener.ticket) return false;
    // Before the 2026 packages termproxy asked /access/ticket, which refuses token ids.
    if (listener.target.kind !== 'node' && user.includes('!') && !this.options.tokenGuestTerminal) return false;
    if (!this.tickets.verifyVnc(ticket, user, listener.path, listener.port)) return false;
    const perm = listener.target.kind === 'node' ? 'Sys.Console' : 'VM.Console';
    return user === 'root@pam' || new PermissionChecker(this.state).check(user, listener.path, [perm], true);
  }

  /** Which program runs behind the pty, decided when the connection is authenticated. */
  programFor(target: TermTarget, user: string): TermProgram {
    if (target.kind === 'node') {
      const node = this.state.node(target.node);
      if (node && !node.online && target.node !== this.state.localNode) {
        return new MessageProgram(`ssh: connect to host ${node.ip} port 22: No route to host\n`);
      }
      if (user === 'root@pam' && (target.cmd === 'upgrade' || target.cmd === 'ceph_install')) {
        return new MessageProgram(target.cmd === 'upgrade' ? 'Starting system upgrade: apt-get dist-upgrade\nYour System is up-to-date\n' : 'ceph is already installed\n');
      }
      if (user === 'root@pam') return new ShellProgram(target.node, nodeBanner(target.node));
      const rootPassword = this.state.users.get('root@pam')?.password;
      return new LoginProgram(target.node, (u, p) => u === 'root' && p !== '' && p === rootPassword);
    }
    const guest = this.state.guest(target.vmid);
    if (!guest || guest.type !== target.kind) {
      const dir = target.kind === 'qemu' ? 'qemu-server' : 'lxc';
      return new MessageProgram(`Configuration file 'nodes/${target.node}/${dir}/${target.vmid}.conf' does not exist\n`);
    }
    return target.kind === 'qemu' ? this.serialProgram(guest, target.serial) : this.lxcProgram(guest);
  }

  private serialProgram(guest: SimGuest, iface: string | undefined): TermProgram {
    const conf = guest.config;
    let serial = iface;
    if (serial !== undefined) {
      if (conf[serial] === undefined) return new MessageProgram(`serial interface '${serial}' is not configured\n`);
      if (conf[serial] !== 'socket') return new MessageProgram(`wrong serial type on interface '${serial}'\n`);
    } else {
      serial = ['serial0', 'serial1', 'serial2', 'serial3'].find((k) => conf[k] === 'socket');
      if (serial === undefined) return new MessageProgram('unable to find a serial interface\n');
    }
    if (!guest.running) return new MessageProgram(`VM ${guest.vmid} not running\n`);
    const host = typeof conf.name === 'string' ? conf.name : `vm${guest.vmid}`;
    return new LoginProgram(host, (u, p) => u === 'root' && p !== '', `starting serial terminal on interface ${serial}\r\n`);
  }

  private lxcProgram(guest: SimGuest): TermProgram {
    if (!guest.running) return new MessageProgram(`lxc-console: ${guest.vmid}: tools/lxc_console.c: main: 131 ${guest.vmid} is not running\n`);
    const host = typeof guest.config.hostname === 'string' ? guest.config.hostname : `CT${guest.vmid}`;
    if (guest.config.cmode === 'shell') return new ShellProgram(host, '');
    return new LoginProgram(host, (u, p) => u === 'root' && p !== '', '\r\nConnected to tty 1\r\n');
  }

  /** Ends every listener and session (simulator shutdown). */
  close(): void {
    for (const l of this.listeners.values()) {
      clearTimeout(l.timer);
      l.finish('closed');
    }
    this.listeners.clear();
    for (const s of [...this.live]) s.shutdown();
  }
}

/** One accepted connection: termproxy's auth step, then the pty bridge. */
class TermSession implements WebSocketBackend {
  private stage: 'auth' | 'running' | 'ended' = 'auth';
  private authBuf: Buffer = Buffer.alloc(0);
  private queue: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private size = { cols: 80, rows: 20 };
  private program: TermProgram | undefined;
  private out: Buffer[] = [];
  private flushScheduled = false;
  private readonly authTimer: NodeJS.Timeout;

  constructor(
    private readonly service: ConsoleService,
    private readonly listener: TermListener,
    readonly record: TermSessionRecord,
    private readonly peer: WebSocketPeer,
  ) {
    this.authTimer = setTimeout(() => {
      this.fail('authTimeout');
    }, service.options.authTimeoutMs);
  }

  onData(data: Buffer): void {
    this.record.frames++;
    if (this.stage === 'auth') {
      this.authBuf = Buffer.concat([this.authBuf, data]);
      const nl = this.authBuf.indexOf(0x0a);
      if (nl < 0) {
        if (this.authBuf.length >= AUTH_LINE_MAX) this.fail('authFailed');
        return;
      }
      const line = this.authBuf.subarray(0, nl).toString('utf8');
      // Bytes after the newline stay in the queue and are processed once the shell runs.
      this.queue = Buffer.from(this.authBuf.subarray(nl + 1));
      this.authBuf = Buffer.alloc(0);
      clearTimeout(this.authTimer);
      const colon = line.indexOf(':');
      if (colon < 0) {
        this.fail('authFailed');
        return;
      }
      const user = line.slice(0, colon);
      this.record.user = user;
      if (!this.service.verify(this.listener, user, line.slice(colon + 1))) {
        this.fail('authFailed');
        return;
      }
      this.record.authenticated = true;
      this.stage = 'running';
      this.write('OK');
      this.program = this.service.programFor(this.listener.target, user);
      this.program.start({ write: (text) => { this.write(text); }, exit: () => { this.finish('exit'); } }, this.size);
      this.pump();
      return;
    }
    if (this.stage !== 'running') return;
    this.queue = this.queue.length === 0 ? data : Buffer.concat([this.queue, data]);
    this.pump();
  }

  onClose(reason: 'closeFrame' | 'protocolError' | 'disconnect'): void {
    if (this.stage === 'ended') return;
    this.finish(reason === 'closeFrame' ? 'clientClose' : reason === 'protocolError' ? 'protocolError' : 'disconnect', reason !== 'closeFrame');
  }

  shutdown(): void {
    this.finish('disconnect', true);
  }

  /** main.rs: data of the current message goes to the pty; process_queue finds the next one. */
  private pump(): void {
    while (this.stage === 'running' && this.queue.length > 0) {
      if (this.remaining === 0) {
        const next = this.processQueue();
        if (next === undefined) break;
        this.remaining = next;
        if (next === 0) continue;
      }
      const len = Math.min(this.remaining, this.queue.length);
      const chunk = this.queue.subarray(0, len);
      this.queue = this.queue.subarray(len);
      this.remaining -= len;
      this.record.inputs.push(chunk.toString('utf8'));
      this.program?.input(Buffer.from(chunk));
    }
  }

  private processQueue(): number | undefined {
    for (;;) {
      if (this.queue.length < 2) return undefined;
      const type = ((this.queue[0] ?? 0) - 0x30) & 0xff;
      if (type === 0) {
        this.queue = this.queue.subarray(2);
        const n = this.removeNumber();
        if (n !== undefined) return n;
      } else if (type === 1) {
        this.queue = this.queue.subarray(2);
        const cols = this.removeNumber();
        if (cols !== undefined) {
          const rows = this.removeNumber();
          if (rows !== undefined) {
            this.size = { cols: cols & 0xffff, rows: rows & 0xffff };
            this.record.resizes.push([this.size.cols, this.size.rows]);
            this.program?.resize(this.size.cols, this.size.rows);
          }
        }
      } else {
        if (type === 2) this.record.keepAlives++;
        this.queue = this.queue.subarray(1);
      }
    }
  }

  private removeNumber(): number | undefined {
    for (;;) {
      const pos = this.queue.indexOf(0x3a);
      if (pos >= 0) {
        const text = this.queue.subarray(0, pos).toString('utf8');
        this.queue = this.queue.subarray(pos + 1);
        return /^\d+$/.test(text) ? Number.parseInt(text, 10) : undefined;
      }
      if (this.queue.length > 20) {
        this.queue = this.queue.subarray(20);
        continue;
      }
      return undefined;
    }
  }

  /** pty output; writes of one tick leave together, the way termproxy reads its pty. */
  private write(text: string): void {
    if (this.stage === 'ended') return;
    this.out.push(Buffer.from(text, 'utf8'));
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.out.length === 0 || this.peer.closed) return;
    const data = Buffer.concat(this.out);
    this.out = [];
    const cut = this.service.options.splitUtf8 ? splitPoint(data) : -1;
    if (cut > 0) {
      this.peer.send(data.subarray(0, cut));
      this.peer.send(data.subarray(cut));
    } else {
      this.peer.send(data);
    }
  }

  private fail(end: SessionEnd): void {
    if (this.stage === 'ended') return;
    this.finish(end, false, 'authentication request failed');
  }

  private finish(end: SessionEnd, dropped = false, error?: string): void {
    if (this.stage === 'ended') return;
    this.stage = 'ended';
    clearTimeout(this.authTimer);
    this.record.end = end;
    this.service.ended(this);
    this.listener.finish(error);
    if (dropped) {
      this.peer.end();
      return;
    }
    // The last output leaves first; then termproxy exits and pveproxy closes without a close frame.
    setImmediate(() => {
      this.flush();
      this.peer.end();
    });
  }
}

/** A byte offset inside the first multi-byte UTF-8 character, or -1 when there is none. */
function splitPoint(data: Buffer): number {
  for (let i = 0; i < data.length; i++) {
    if ((data[i] ?? 0) >= 0xc0) return i + 1;
  }
  return -1;
}
