// The termproxy client against the simulator: pinned TLS before any credential, upgrade, auth line,
// OK merged with output, UTF-8 across frames, input/resize/keep-alive framing, both ways of ending,
// and the refusals (bad VNC ticket, tokens on older PVE, a changed certificate).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TokenAuthenticator } from '../../../src/api/auth';
import { PveError } from '../../../src/api/errors';
import { HttpTransport } from '../../../src/api/httpTransport';
import { TermproxyConnection, TermproxyError, createTermproxy, encodeInput, encodeResize, type TermEnd, type TermTarget } from '../../../src/api/termproxy';
import { TicketAuthenticator, TicketTransport, anonymousAuthenticator, renewTicket, requestTicket, type TicketInfo } from '../../../src/api/ticketAuth';
import type { TrustConfig } from '../../../src/api/trust';
import { decodeServerFrame, encodeClientFrame } from '../../../src/api/websocketClient';
import { FrameParser } from '../../sim/http/websocket';
import type { Simulator } from '../../sim/simulator';
import { startTestSim } from '../sim/helpers';

let sim: Simulator;
let trust: TrustConfig;
let root: TicketInfo;
before(async () => {
  sim = await startTestSim();
  trust = { mode: 'fingerprint', fingerprint: sim.fingerprint };
  const anon = new HttpTransport({ baseUrl: sim.url, trust, auth: anonymousAuthenticator });
  const step = await requestTicket(anon, 'root@pam', 'pve-sim-root');
  await anon.close();
  assert.equal(step.kind, 'signedIn');
  root = (step as { info: TicketInfo }).info;
});
after(async () => {
  await sim.close();
});

function ticketAccess(info: TicketInfo): { transport: TicketTransport; auth: TicketAuthenticator } {
  const anon = new HttpTransport({ baseUrl: sim.url, trust, auth: anonymousAuthenticator });
  const auth = new TicketAuthenticator(info, { renew: (current, signal) => renewTicket(anon, current, signal) });
  return { transport: new TicketTransport(new HttpTransport({ baseUrl: sim.url, trust, auth }), auth), auth };
}

class Screen {
  text = '';
  ends: TermEnd[] = [];
  constructor(readonly conn: TermproxyConnection) {
    conn.onOutput((t) => { this.text += t; });
    conn.onEnd((e) => this.ends.push(e));
  }
  async waitFor(pattern: RegExp, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pattern.test(this.text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} in ${JSON.stringify(this.text)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  async ended(ms = 3000): Promise<TermEnd> {
    const deadline = Date.now() + ms;
    while (this.ends.length === 0) {
      if (Date.now() > deadline) throw new Error('the connection did not end');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.ends[0]!;
  }
}

async function open(target: TermTarget, info: TicketInfo = root, keepAliveMs?: number): Promise<Screen> {
  const { transport, auth } = ticketAccess(info);
  const grant = await createTermproxy(transport, target);
  const conn = await TermproxyConnection.open({ baseUrl: sim.url, trust, auth }, target, grant, keepAliveMs ? { keepAliveMs } : {});
  await transport.close();
  return new Screen(conn);
}

describe('termproxy client', () => {
  it('node shell: banner (UTF-8 split across frames), echo, resize, keep-alive, exit ends it from the server', async () => {
    const screen = await open({ type: 'node', node: 'pve1' }, root, 30);
    await screen.waitFor(/Grüße aus dem Rechenzentrum ✓[\s\S]*root@pve1:~# $/);
    assert.ok(!screen.text.startsWith('OK'), 'OK is consumed by the handshake');
    screen.conn.resize(132, 43);
    screen.conn.write('stty size\r');
    await screen.waitFor(/\r\n43 132\r\n/);
    screen.conn.write('echo ünïcödé ✓\r');
    await screen.waitFor(/\r\nünïcödé ✓\r\n/);
    await new Promise((r) => setTimeout(r, 100));
    screen.conn.write('exit\r');
    assert.deepEqual(await screen.ended(), { kind: 'remote' });
    const record = sim.console.sessions.at(-1);
    assert.ok(record);
    assert.equal(record.end, 'exit');
    assert.ok(record.keepAlives >= 2, `keep-alives: ${record.keepAlives}`);
    assert.deepEqual(record.inputs, ['stty size\r', 'echo ünïcödé ✓\r', 'exit\r']);
  });

  it('closing from this side sends a close frame; the server ends the session', async () => {
    const screen = await open({ type: 'lxc', node: 'pve1', vmid: 101 });
    await screen.waitFor(/dns01 login: $/);
    screen.conn.close();
    assert.deepEqual(await screen.ended(), { kind: 'local' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sim.console.sessions.at(-1)?.end, 'clientClose');
  });

  it('a VM without a serial port: the text arrives, then the server closes', async () => {
    const screen = await open({ type: 'qemu', node: 'pve1', vmid: 102 });
    assert.deepEqual(await screen.ended(), { kind: 'remote' });
    assert.equal(screen.text, 'unable to find a serial interface\r\n');
  });

  it('API token on an older PVE: the guest terminal closes without OK', async () => {
    sim.console.options.tokenGuestTerminal = false;
    try {
      const auth = new TokenAuthenticator(sim.tokens.admin.tokenId, sim.tokens.admin.secret);
      const transport = new HttpTransport({ baseUrl: sim.url, trust, auth });
      const target: TermTarget = { type: 'lxc', node: 'pve1', vmid: 101 };
      const grant = await createTermproxy(transport, target);
      await transport.close();
      assert.equal(grant.user, sim.tokens.admin.tokenId);
      await assert.rejects(TermproxyConnection.open({ baseUrl: sim.url, trust, auth }, target, grant), (e: unknown) => TermproxyError.isTermproxy(e) && e.failure === 'closedBeforeOk');
    } finally {
      sim.console.options.tokenGuestTerminal = true;
    }
  });

  it('a refused upgrade is a typed error (401 with PVE\'s reason)', async () => {
    const { transport, auth } = ticketAccess(root);
    const target: TermTarget = { type: 'node', node: 'pve1' };
    const grant = await createTermproxy(transport, target);
    await transport.close();
    await assert.rejects(TermproxyConnection.open({ baseUrl: sim.url, trust, auth }, target, { ...grant, ticket: 'PVEVNC:00000000::x' }), (e: unknown) => PveError.is(e, 'unauthorized') && e.message === 'permission denied - invalid PVEVNC ticket');
  });

  it('a different certificate: refused before any request or credential is sent', async () => {
    const { transport, auth } = ticketAccess(root);
    const target: TermTarget = { type: 'node', node: 'pve1' };
    const grant = await createTermproxy(transport, target);
    await transport.close();
    sim.requests.length = 0;
    const wrong: TrustConfig = { mode: 'fingerprint', fingerprint: 'AA:'.repeat(31) + 'AA' };
    await assert.rejects(TermproxyConnection.open({ baseUrl: sim.url, trust: wrong, auth }, target, grant), (e: unknown) => PveError.is(e, 'tls') && e.tls?.kind === 'fingerprintMismatch');
    assert.equal(sim.requests.length, 0);
  });
});

describe('termproxy framing', () => {
  it('input: one message per frame, byte lengths, split below 64 KiB at character boundaries', () => {
    assert.deepEqual(encodeInput('ä\r').map(String), ['0:3:ä\r']);
    const frames = encodeInput('€'.repeat(30_000));
    assert.equal(frames.length, 2);
    for (const f of frames) {
      const m = /^0:(\d+):/.exec(f.toString('latin1'));
      assert.ok(m);
      assert.equal(Number(m[1]), f.length - m[0].length);
      assert.ok(f.length < 128 * 1024);
    }
    assert.equal(frames.map((f) => f.toString('utf8').replace(/^0:\d+:/, '')).join(''), '€'.repeat(30_000));
  });

  it('resize: cols first, trailing colon', () => {
    assert.equal(encodeResize(80, 24).toString(), '1:80:24:');
  });

  it('client frames are masked, unfragmented, with 7/16/64-bit lengths; pveproxy\'s parser reads them back', () => {
    for (const size of [0, 125, 126, 65_535, 65_536, 128 * 1024]) {
      const payload = Buffer.alloc(size, 0x61);
      const frame = encodeClientFrame(0x2, payload);
      assert.equal(frame[0], 0x82, 'FIN + binary');
      assert.ok(((frame[1] ?? 0) & 0x80) !== 0, 'masked');
      const events = new FrameParser().push(frame);
      assert.equal(events.length, 1);
      const event = events[0];
      assert.ok(event?.kind === 'data');
      assert.ok(event.payload.equals(payload), `payload of ${size} bytes`);
    }
  });

  it('server frames: incomplete waits, a masked one is refused, lengths are read', () => {
    assert.equal(decodeServerFrame(Buffer.from([0x82])), undefined);
    assert.equal(decodeServerFrame(Buffer.from([0x82, 0x85, 1, 2, 3, 4, 5])), 'invalid');
    const long = Buffer.concat([Buffer.from([0x82, 126, 0x01, 0x00]), Buffer.alloc(256, 0x62)]);
    assert.equal(decodeServerFrame(long.subarray(0, 100)), undefined);
    const frame = decodeServerFrame(long);
    assert.ok(frame && frame !== 'invalid');
    assert.equal(frame.payload.length, 256);
    assert.equal(frame.length, 260);
  });
});
