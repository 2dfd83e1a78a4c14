import * as assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { Locator, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../sim/simulator';
import { openWorkbench } from './fixture';
import { openProxmoxView } from './proxmoxView';
import { saveReadmeScreenshot } from './screenshots';

/**
 * Password + TOTP sign-in, a node shell in the VS Code terminal (real xterm.js, real keyboard),
 * and the web UI links as the browser receives them. The simulator listens on 127.0.0.2: VS Code's
 * opener would otherwise treat a 127.0.0.1 link as a local port to forward.
 */
suite('Sign in with password and TOTP, a shell in the terminal, console links in the browser', () => {
  let sim: Simulator;
  let page: Page;
  let totp: TOTP;
  const password = 'e2e-root-password';

  suiteSetup(async function () {
    this.timeout(180_000);
    sim = await startSimulator({ host: '127.0.0.2', taskDurationMs: 200, haDelayMs: 200, certificate: { keyType: 'ec' } });
    const secret = new Secret({ size: 20 });
    // root@pam with a second factor, as many admins have it.
    sim.state.addUser({ userid: 'root@pam', password, totp: { secret: secret.base32, recovery: ['0a1b-2c3d-4e5f-6a7b'] } });
    totp = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 });
    page = await openWorkbench({
      settings: { 'proxmox.refreshInterval': 5, 'terminal.integrated.gpuAcceleration': 'off', 'terminal.integrated.fontSize': 13, 'terminal.integrated.showTerminalConfigPrompt': false },
      fresh: true,
    });
  });

  suiteTeardown(async () => {
    await sim.close();
  });

  const dialog = (): Locator => page.getByRole('dialog');
  const treeItem = (name: string | RegExp): Locator => page.getByRole('treeitem', { name });

  async function answerInput(text: string | RegExp, value: string): Promise<void> {
    const widget = page.locator('.quick-input-widget');
    await widget.getByText(text).first().waitFor();
    const input = widget.locator('input');
    await input.fill(value);
    await input.press('Enter');
  }

  async function contextMenu(item: Locator, command: string): Promise<void> {
    // A tree refresh or a layout change can close the menu under the pointer: try again once.
    for (let attempt = 1; ; attempt++) {
      try {
        await item.click({ button: 'right' });
        const entry = page.getByRole('menuitem', { name: command, exact: true });
        await entry.waitFor({ timeout: 10_000 });
        await entry.hover({ timeout: 10_000 });
        await page.waitForTimeout(200);
        await entry.click({ timeout: 10_000 });
        return;
      } catch (error) {
        if (attempt >= 2) throw error;
        await page.keyboard.press('Escape');
        await page.waitForTimeout(500);
      }
    }
  }

  async function terminalText(): Promise<string> {
    return (await page.locator('.terminal-wrapper.active .xterm-rows').allInnerTexts()).join('\n');
  }

  async function waitForTerminal(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await terminalText();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`terminal never showed ${String(pattern)}: ${JSON.stringify(text.slice(-400))}`);
      await page.waitForTimeout(200);
    }
  }

  test('Add Cluster with User Name and Password: fingerprint, password, TOTP code; the tree loads with the ticket', async function () {
    this.timeout(120_000);
    await openProxmoxView(page);
    await page.keyboard.press('F1');
    await page.keyboard.type('Proxmox: Add Cluster with User Name and Password');
    await page.getByRole('option', { name: /Proxmox: Add Cluster with User Name and Password/ }).first().waitFor();
    await page.keyboard.press('Enter');
    await answerInput('cluster address', sim.url);
    await dialog().getByText(/Do you trust the certificate of 127\.0\.0\.2/).waitFor();
    assert.equal(sim.requests.length, 0, 'nothing was sent before the certificate was accepted');
    await dialog().getByRole('button', { name: 'Trust and Pin', exact: true }).click();
    await answerInput('user name', 'root@pam');
    await answerInput(/Password of root@pam/, password);
    await answerInput(/6-digit code/, totp.generate({ timestamp: sim.clock.nowMs() }));
    await answerInput('display name', 'homelab');
    await treeItem(/^pve1/).waitFor({ timeout: 30_000 });
    await treeItem('web01, virtual machine 100, running').waitFor();
    const signIns = sim.requests.filter((r) => r.apiPath === '/access/ticket');
    assert.deepEqual(signIns.map((r) => r.status), [200, 200], 'password, then the TOTP step');
    assert.ok(sim.requests.filter((r) => r.apiPath !== '/access/ticket').every((r) => r.credentials === 'ticket'));
  });

  test('Open Shell on a node: root@pve1 in the VS Code terminal, echo shows its output', async function () {
    this.timeout(90_000);
    // A tall panel first (from the tree, not the terminal: F1 there raises a keybinding hint).
    await page.keyboard.press('F1');
    await page.keyboard.type('View: Toggle Maximized Panel');
    await page.getByRole('option', { name: /View: Toggle Maximized Panel/ }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    await contextMenu(treeItem(/^pve1/), 'Open Shell');
    await page.locator('.terminal-wrapper.active .xterm-rows').waitFor({ timeout: 30_000 });
    await waitForTerminal(/root@pve1:~#/);
    await page.locator('.terminal-wrapper.active .xterm').click();
    await page.keyboard.type('echo Hello from the Proxmox VE shell');
    await page.keyboard.press('Enter');
    const text = await waitForTerminal(/Hello from the Proxmox VE shell\s*\n\s*root@pve1:~#/);
    assert.match(text, /Grüße aus dem Rechenzentrum ✓/, 'UTF-8 split across frames is shown whole');
    await page.keyboard.type('stty size');
    await page.keyboard.press('Enter');
    await waitForTerminal(/stty size\s*\n\s*\d+ \d+\s*\n/);
    const record = sim.console.sessions.at(-1);
    assert.ok(record?.authenticated);
    assert.ok(record.resizes.length >= 1, 'the terminal size was sent');
    const [cols = 0, rows = 0] = record.resizes.at(-1) ?? [];
    assert.ok(cols > 20 && rows > 3, `a real size: ${cols}x${rows}`);
    assert.ok((await waitForTerminal(new RegExp(`\\n\\s*${rows} ${cols}\\s*\\n`))).length > 0, 'stty shows the size VS Code sent');
    await saveReadmeScreenshot(page, 'shell');
  });

  test('Open Console in Browser and Open in Web UI: the browser receives the exact web UI URLs', async function () {
    this.timeout(90_000);
    const context = page.context();
    const host = new URL(sim.url).host;
    // The browser's new tab gets a stand-in page: no request reaches the simulator's TLS port.
    await context.route((url) => url.host === host, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Proxmox VE</title>' }));
    const opened: string[] = [];
    const openFrom = async (item: string | RegExp, command: string): Promise<void> => {
      const popup = context.waitForEvent('page', { timeout: 30_000 });
      await contextMenu(treeItem(item), command);
      // VS Code asks before it opens a link to a host that is not in its trusted domains.
      const open = dialog().getByRole('button', { name: 'Open', exact: true });
      await open.waitFor({ timeout: 10_000 }).then(() => open.click(), () => undefined);
      const tab = await popup;
      await tab.waitForLoadState('domcontentloaded').catch(() => undefined);
      opened.push(tab.url());
      await tab.close();
    };
    await openFrom('web01, virtual machine 100, running', 'Open Console in Browser');
    await openFrom('dns01, container 101, running', 'Open Console in Browser');
    await openFrom('web01, virtual machine 100, running', 'Open in Web UI');
    await context.unroute((url) => url.host === host);
    assert.deepEqual(opened, [
      `${sim.url}/?console=kvm&novnc=1&vmid=100&vmname=web01&node=pve1&resize=off&cmd=`,
      `${sim.url}/?console=lxc&xtermjs=1&vmid=101&vmname=dns01&node=pve1&cmd=`,
      `${sim.url}/#v1:0:=qemu/100:4:::::::`,
    ]);
  });
});
