// The simulator's terminal sessions (CONSOLE.md §2, §6): termproxy creation and privileges, the
// vncwebsocket upgrade and its refusals, termproxy's auth line, OK, message framing (split and
// merged), resize, keep-alive, exit without a close frame; older-server switches; guest addresses
// and realms; CSRF on writes. Driven with `ws` directly, not with the extension's client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Simulator } from '../../sim/simulator';
import { call, startTestSim } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim();
});
after(async () => {
  await sim.close();
});

function cookie(userid: string): { cookie: string; csrf: string } {
  const t = sim.issueTicket(userid);
  return { cookie: `PVEAuthCookie=${encodeURIComponent(t.ticket)}`, csrf: t.CSRFPreventionToken };
}

interface Grant {
  user: string;
  ticket: string;
  port: number;
  upid: string;
}

async function create(path: string, auth: { cookie?: string; csrf?: string; token?: string }, form: Record<string, string> = {}): Promise<{ status: number; reason: string; grant?: Grant }> {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.Cookie = auth.cookie;
  if (auth.csrf) headers.CSRFPreventionToken = auth.csrf;
  const r = await call(sim, 'POST', path, { headers, form, ...(auth.token ? { authorization: auth.token } : {}) });
  return { status: r.status, reason: r.reason, ...(r.status === 200 ? { grant: r.json?.data as Grant } : {}) };
}

interface Session {
  readonly ws: WebSocket;
  output: string;
  frames: Buffer[];
  readonly closed: Promise<number>;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
}

function connect(wsPath: string, grant: Grant, headers: Record<string, string>): Promise<Session | { status: number; reason: string }> {
  const url = `${sim.url.replace('https:', 'wss:')}/api2/json${wsPath}?port=${grant.port}&vncticket=${encodeURIComponent(grant.ticket)}`;
  const ws = new WebSocket(url, ['binary'], { ca: sim.certificatePem, headers, perMessageDeflate: false });
  const decoder = new TextDecoder();
  const session: Session = {
    ws,
    output: '',
    frames: [],
    closed: new Promise((resolve) => ws.on('close', (code) => { resolve(code); })),
    async waitFor(pattern, ms = 3000) {
      const deadline = Date.now() + ms;
      while (!pattern.test(session.output)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} in ${JSON.stringify(session.output)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
  ws.on('message', (data: Buffer) => {
    session.frames.push(data);
    session.output += decoder.decode(data, { stream: true });
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => { resolve(session); });
    ws.once('unexpected-response', (_req, res) => { resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '' }); });
    ws.once('error', reject);
  });
}

async function rootShell(): Promise<{ session: Session; grant: Grant }> {
  const auth = cookie('root@pam');
  const { grant } = await create('/nodes/pve1/termproxy', auth);
  assert.ok(grant);
  const session = await connect('/nodes/pve1/vncwebsocket', grant, { Cookie: auth.cookie });
  assert.ok('ws' in session, JSON.stringify(session));
  session.ws.send(Buffer.from(`${grant.user}:${grant.ticket}\n`));
  await session.waitFor(/root@pve1:~# $/);
  return { session, grant };
}

const input = (text: string): Buffer => Buffer.from(`0:${Buffer.byteLength(text)}:${text}`);

describe('termproxy sessions', () => {
  it('root@pam node shell: OK with the banner, echo, resize, exit without a close frame', async () => {
    const { session, grant } = await rootShell();
    assert.match(grant.ticket, /^PVEVNC:[0-9A-F]{8}::/);
    assert.ok(grant.port >= 5900 && grant.port <= 5999);
    assert.match(grant.upid, /:vncshell::root@pam:$/);
    assert.ok(session.output.startsWith('OK'), 'OK comes first');
    assert.match(session.output, /Grüße aus dem Rechenzentrum ✓/, 'a character split across frames decodes');
    session.ws.send(Buffer.from('1:120:40:'));
    session.ws.send(input('stty size\r'));
    await session.waitFor(/\r\n40 120\r\n/);
    session.ws.send(input('echo hello wörld\r'));
    await session.waitFor(/\r\nhello wörld\r\n/);
    session.ws.send(Buffer.from('2'));
    session.ws.send(input('exit\r'));
    assert.equal(await session.closed, 1006, 'no close frame');
    const record = sim.console.sessions.at(-1);
    assert.ok(record);
    assert.equal(record.end, 'exit');
    assert.deepEqual(record.resizes, [[120, 40]]);
    assert.equal(record.keepAlives, 1);
    await sim.tasks.wait(grant.upid);
    assert.equal(sim.tasks.get(grant.upid)?.exitstatus, 'OK');
  });

  it('parses merged messages in one frame and loses a data header split across frames', async () => {
    const { session } = await rootShell();
    session.ws.send(Buffer.from('1:90:25:0:10:stty size\r2'));
    await session.waitFor(/\r\n25 90\r\n/);
    // termproxy consumes "0:" before it has the length; the rest is then garbage.
    session.ws.send(Buffer.from('0:1'));
    session.ws.send(Buffer.from('2:echo lost\r'));
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(session.output, /\r\nlost\r\n/);
    session.ws.close();
    const t0 = Date.now();
    assert.equal(await session.closed, 1006, 'pveproxy answers a close frame by closing the connection, without a close frame');
    assert.ok(Date.now() - t0 < 2000, `closing took ${Date.now() - t0} ms`);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sim.console.sessions.at(-1)?.end, 'clientClose');
  });

  it('a large output is sent in frames of at most 128 KiB', async () => {
    const { session } = await rootShell();
    session.ws.send(input('seq 40000\r'));
    await session.waitFor(/\r\n40000\r\nroot@pve1:~# $/, 5000);
    assert.ok(session.frames.every((f) => f.length <= 128 * 1024));
    assert.ok(session.frames.some((f) => f.length > 100_000), 'large frames are used');
    session.ws.close();
  });

  it('answers a ping with a pong', async () => {
    const { session } = await rootShell();
    const pong = new Promise<Buffer>((resolve) => session.ws.once('pong', resolve));
    session.ws.ping(Buffer.from('hi'));
    assert.equal((await pong).toString(), 'hi');
    session.ws.close();
  });

  it('a wrong ticket line closes the connection without OK; the task fails', async () => {
    const auth = cookie('root@pam');
    const { grant } = await create('/nodes/pve1/termproxy', auth);
    assert.ok(grant);
    const session = await connect('/nodes/pve1/vncwebsocket', grant, { Cookie: auth.cookie });
    assert.ok('ws' in session);
    session.ws.send(Buffer.from(`${grant.user}:PVEVNC:00000000::bogus\n`));
    assert.equal(await session.closed, 1006);
    assert.equal(session.output, '');
    await sim.tasks.wait(grant.upid);
    assert.match(sim.tasks.get(grant.upid)?.exitstatus ?? '', /^command '\/usr\/bin\/termproxy \d+ --path \/nodes\/pve1 --perm Sys.Console -- \/bin\/login' failed: exit code 1$/);
  });

  it('a non-root user gets /bin/login on a node', async () => {
    const auth = cookie('automation@pve');
    const { grant } = await create('/nodes/pve1/termproxy', auth);
    assert.ok(grant);
    const session = await connect('/nodes/pve1/vncwebsocket', grant, { Cookie: auth.cookie });
    assert.ok('ws' in session);
    session.ws.send(Buffer.from(`${grant.user}:${grant.ticket}\n`));
    await session.waitFor(/pve1 login: $/);
    session.ws.close();
  });

  it('the vncwebsocket upgrade: 401 for a wrong or expired ticket, plain {port} without Upgrade, one connection per listener', async () => {
    const auth = cookie('root@pam');
    const { grant } = await create('/nodes/pve1/termproxy', auth);
    assert.ok(grant);
    const wrong = await connect('/nodes/pve1/vncwebsocket', { ...grant, ticket: 'PVEVNC:00000000::x' }, { Cookie: auth.cookie });
    assert.deepEqual(wrong, { status: 401, reason: 'permission denied - invalid PVEVNC ticket' });
    const other = await connect('/nodes/pve2/vncwebsocket', grant, { Cookie: auth.cookie });
    assert.deepEqual(other, { status: 401, reason: 'permission denied - invalid PVEVNC ticket' }, 'the ticket names the node');
    const plain = await call(sim, 'GET', `/nodes/pve1/vncwebsocket?port=${grant.port}&vncticket=${encodeURIComponent(grant.ticket)}`, { headers: { Cookie: auth.cookie } });
    assert.deepEqual(plain.json?.data, { port: String(grant.port) });
    const first = await connect('/nodes/pve1/vncwebsocket', grant, { Cookie: auth.cookie });
    assert.ok('ws' in first);
    await assert.rejects(connect('/nodes/pve1/vncwebsocket', grant, { Cookie: auth.cookie }), 'the listener took its one connection');
    first.ws.close();
    sim.clock.advance(41_000);
    try {
      const late = await connect('/nodes/pve1/vncwebsocket', grant, { Cookie: auth.cookie });
      assert.deepEqual(late, { status: 401, reason: 'permission denied - invalid PVEVNC ticket' });
    } finally {
      sim.clock.advance(-41_000);
    }
  });

  it('termproxy stops waiting for its connection after the accept deadline', async () => {
    sim.console.options.acceptTimeoutMs = 50;
    try {
      const auth = cookie('root@pam');
      const { grant } = await create('/nodes/pve1/termproxy', auth);
      assert.ok(grant);
      await sim.tasks.wait(grant.upid);
      assert.ok(!sim.console.waitingPorts.includes(grant.port));
      await assert.rejects(connect('/nodes/pve1/vncwebsocket', grant, { Cookie: auth.cookie }));
    } finally {
      sim.console.options.acceptTimeoutMs = 10_000;
    }
  });

  it('privileges: Sys.Console for node shells, VM.Console for guests (403 before anything starts)', async () => {
    const alice = cookie('alice@pve');
    const node = await create('/nodes/pve1/termproxy', alice);
    assert.equal(node.status, 403);
    assert.equal(node.reason, 'Permission check failed (/nodes/pve1, Sys.Console)');
    const ct = await create('/nodes/pve1/lxc/101/termproxy', alice);
    assert.equal(ct.status, 200, 'PVEVMUser on /vms has VM.Console');
    const readonly = await create('/nodes/pve1/lxc/101/termproxy', { token: `PVEAPIToken=${sim.tokens.readonly.tokenId}=${sim.tokens.readonly.secret}` });
    assert.equal(readonly.status, 403);
    assert.equal(readonly.reason, 'Permission check failed (/vms/101, VM.Console)');
    const missing = await create('/nodes/pve1/qemu/999/termproxy', cookie('root@pam'));
    assert.equal(missing.status, 500);
    assert.equal(missing.reason, "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
  });

  it('QEMU serial terminal: a login prompt with serial0; text and close without one or when stopped', async () => {
    const auth = cookie('root@pam');
    const open = async (vmid: number, node: string): Promise<Session> => {
      const { grant } = await create(`/nodes/${node}/qemu/${vmid}/termproxy`, auth);
      assert.ok(grant);
      const s = await connect(`/nodes/${node}/qemu/${vmid}/vncwebsocket`, grant, { Cookie: auth.cookie });
      assert.ok('ws' in s);
      s.ws.send(Buffer.from(`${grant.user}:${grant.ticket}\n`));
      return s;
    };
    const web = await open(100, 'pve1');
    await web.waitFor(/starting serial terminal on interface serial0\r\n\r\nweb01 login: $/);
    web.ws.send(input('root\r'));
    await web.waitFor(/Password: $/);
    web.ws.send(input('secret\r'));
    await web.waitFor(/root@web01:~# $/);
    assert.doesNotMatch(web.output, /secret/, 'the password is not echoed');
    web.ws.close();
    const db = await open(102, 'pve1');
    assert.equal(await db.closed, 1006);
    assert.equal(db.output, 'OKunable to find a serial interface\r\n');
    sim.state.setGuestConfig(103, { serial0: 'socket' });
    const stopped = await open(103, 'pve2');
    assert.equal(await stopped.closed, 1006);
    assert.equal(stopped.output, 'OKVM 103 not running\r\n');
    sim.state.setGuestConfig(103, { serial0: undefined });
  });

  it('older servers: node shells refuse tokens with a 500; guest terminals close without OK for tokens', async () => {
    const token = `PVEAPIToken=${sim.tokens.admin.tokenId}=${sim.tokens.admin.secret}`;
    sim.console.options.tokenNodeShell = false;
    sim.console.options.tokenGuestTerminal = false;
    try {
      const node = await create('/nodes/pve1/termproxy', { token });
      assert.equal(node.status, 500);
      assert.equal(node.reason, "value 'automation@pve!admin' does not look like a valid user name");
      const { grant } = await create('/nodes/pve1/lxc/101/termproxy', { token });
      assert.ok(grant);
      assert.equal(grant.user, 'automation@pve!admin');
      const s = await connect('/nodes/pve1/lxc/101/vncwebsocket', grant, { Authorization: token });
      assert.ok('ws' in s);
      s.ws.send(Buffer.from(`${grant.user}:${grant.ticket}\n`));
      assert.equal(await s.closed, 1006);
      assert.equal(s.output, '');
    } finally {
      sim.console.options.tokenNodeShell = true;
      sim.console.options.tokenGuestTerminal = true;
    }
    const { grant } = await create('/nodes/pve1/lxc/101/termproxy', { token });
    assert.ok(grant);
    const s = await connect('/nodes/pve1/lxc/101/vncwebsocket', grant, { Authorization: token });
    assert.ok('ws' in s);
    s.ws.send(Buffer.from(`${grant.user}:${grant.ticket}\n`));
    await s.waitFor(/dns01 login: $/);
    s.ws.close();
  });
});

describe('guest addresses, realms, CSRF', () => {
  const token = (): { token: typeof sim.tokens.admin } => ({ token: sim.tokens.admin });

  it('QEMU guest agent: interfaces, then the three refusals in PVE order', async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/qemu/100/agent/network-get-interfaces', token());
    const result = (r.json?.data as { result: { name: string; 'ip-addresses'?: { 'ip-address': string; 'ip-address-type': string }[] }[] }).result;
    assert.deepEqual(result.map((i) => i.name), ['lo', 'eth0', 'docker0']);
    assert.deepEqual(result[1]?.['ip-addresses']?.map((a) => `${a['ip-address']} ${a['ip-address-type']}`), ['10.0.0.100 ipv4', '2001:db8::100 ipv6', 'fe80::be24:11ff:fe00:100 ipv6']);
    sim.state.setGuestConfig(102, { agent: undefined });
    assert.equal((await call(sim, 'GET', '/nodes/pve1/qemu/102/agent/network-get-interfaces', token())).reason, 'No QEMU guest agent configured');
    sim.state.setGuestConfig(102, { agent: '1' });
    assert.equal((await call(sim, 'GET', '/nodes/pve2/qemu/103/agent/network-get-interfaces', token())).reason, 'VM 103 is not running');
    sim.state.setGuestBehaviour(102, { agentRunning: false });
    assert.equal((await call(sim, 'GET', '/nodes/pve1/qemu/102/agent/network-get-interfaces', token())).reason, 'QEMU guest agent is not running');
    sim.state.setGuestBehaviour(102, { agentRunning: true });
  });

  it('LXC interfaces: inet/inet6 families; null while stopped', async () => {
    const r = await call(sim, 'GET', '/nodes/pve1/lxc/101/interfaces', token());
    const eth0 = (r.json?.data as { name: string; inet?: string; hwaddr?: string; 'ip-addresses': { 'ip-address-type': string }[] }[]).find((i) => i.name === 'eth0');
    assert.ok(eth0);
    assert.equal(eth0.inet, '10.0.0.101/24');
    assert.match(eth0.hwaddr ?? '', /^bc:24:11:/);
    assert.deepEqual(eth0['ip-addresses'].map((a) => a['ip-address-type']), ['inet', 'inet6']);
    const stopped = await call(sim, 'GET', '/nodes/pve2/lxc/107/interfaces', token());
    assert.equal(stopped.status, 200);
    assert.equal(stopped.json?.data, null);
  });

  it('GET /access/domains needs no authentication', async () => {
    const r = await call(sim, 'GET', '/access/domains');
    assert.deepEqual((r.json?.data as { realm: string }[]).map((d) => d.realm), ['pam', 'pve']);
  });

  it('a ticket write without CSRFPreventionToken is refused and recorded as such', async () => {
    const auth = cookie('root@pam');
    sim.requests.length = 0;
    const r = await call(sim, 'POST', '/nodes/pve1/termproxy', { headers: { Cookie: auth.cookie } });
    assert.equal(r.status, 401);
    assert.equal(r.reason, 'Permission denied - invalid csrf token');
    assert.equal(sim.requests[0]?.csrf, false);
    const ok = await call(sim, 'POST', '/nodes/pve1/termproxy', { headers: { Cookie: auth.cookie, CSRFPreventionToken: auth.csrf } });
    assert.equal(ok.status, 200);
    assert.equal(sim.requests[1]?.csrf, true);
    assert.ok(!JSON.stringify(sim.requests).includes(auth.csrf), 'the CSRF value is not recorded');
  });
});
