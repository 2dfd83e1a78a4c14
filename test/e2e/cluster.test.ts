import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { CANARY_SECRET, findCanary } from '../integration/helpers/canary';
import { startSimulator, type Simulator } from '../sim/simulator';
import { openWorkbench } from './fixture';
import { openProxmoxView } from './proxmoxView';
import { saveReadmeScreenshot } from './screenshots';

/**
 * The first-use journey in a real workbench: import the connection from the environment, accept
 * the fingerprint in the modal, browse, act on a guest from its context menu, take and roll back
 * a snapshot, and query the API from the palette.
 */
suite('The demo cluster in the workbench', () => {
  let sim: Simulator;
  let page: Page;

  suiteSetup(async function () {
    this.timeout(180_000);
    // A slow shutdown, so the progress notification and the item's "shutting down…" can be seen.
    sim = await startSimulator({ taskDurationMs: 400, taskDurations: { qmshutdown: 2500 }, haDelayMs: 400, certificate: { keyType: 'ec' } });
    // The canary token: the page must never show its secret (SECURITY.md scenario 25).
    sim.state.addToken('automation@pve', { name: 'canary', secret: CANARY_SECRET, privsep: false });
    page = await openWorkbench({
      env: { PVE_HOST: sim.url, PVE_TOKEN_ID: 'automation@pve!canary', PVE_TOKEN_SECRET: CANARY_SECRET },
      settings: { 'proxmox.refreshInterval': 5 },
      fresh: true,
    });
  });

  suiteTeardown(async () => {
    await sim.close();
  });

  // After every step: neither the visible text nor the DOM (what screenshots are made of) holds the secret.
  teardown(async () => {
    const text = await page.locator('body').innerText();
    const dom = await page.content();
    assert.equal(findCanary(text), undefined, 'the canary is in the page text');
    assert.equal(findCanary(dom), undefined, 'the canary is in the DOM');
  });

  // The modal dialog; notifications are role=dialog too, hence the class.
  const dialog = (): Locator => page.locator('.monaco-dialog-box');
  const treeItem = (name: string | RegExp): Locator => page.getByRole('treeitem', { name });

  /** Waits for the input box (by its title or prompt) before typing: keys typed earlier are lost. */
  async function answerInput(text: string, value: string): Promise<void> {
    const widget = page.locator('.quick-input-widget');
    try {
      await widget.filter({ hasText: text }).waitFor({ timeout: 15_000 });
    } catch (error) {
      throw new Error(`no input box "${text}"; the quick input shows: ${await widget.innerText().catch(() => '(nothing)')}`, { cause: error });
    }
    const input = widget.locator('input');
    await input.fill(value);
    await input.press('Enter');
    // The next box reuses the widget: wait until this one has gone.
    await widget.filter({ hasText: text }).waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
  }

  async function contextMenu(item: Locator, command: string, screenshot?: string): Promise<void> {
    await item.click({ button: 'right' });
    const entry = page.getByRole('menuitem', { name: command, exact: true });
    await entry.waitFor();
    // The menu ignores a click in its first ~100 ms (VSCODE-HOST.md): hover first.
    await entry.hover();
    await page.waitForTimeout(200);
    if (screenshot) await saveReadmeScreenshot(page, screenshot);
    await entry.click();
  }

  test('import from the environment, trust the fingerprint, see nodes and guests', async function () {
    this.timeout(90_000);
    await openProxmoxView(page);
    await page.getByRole('button', { name: 'Import from Environment', exact: true }).click();
    await dialog().getByText('Add the cluster from the environment variables?').waitFor();
    await dialog().getByRole('button', { name: 'Add Cluster', exact: true }).click();
    await dialog().getByText(/Do you trust the certificate of 127\.0\.0\.1/).waitFor();
    const text = await dialog().innerText();
    assert.ok(text.includes(sim.fingerprint), 'the modal shows the SHA-256 fingerprint');
    assert.equal(sim.requests.length, 0, 'nothing was sent before the certificate was accepted');
    await saveReadmeScreenshot(page, 'fingerprint-modal');
    await dialog().getByRole('button', { name: 'Trust and Pin', exact: true }).click();
    await treeItem(/^pve1/).waitFor({ timeout: 30_000 });
    for (const name of ['web01, virtual machine 100, running', 'dns01, container 101, running', 'win11, virtual machine 104, paused', 'legacy-app, virtual machine 105, hibernated']) {
      await treeItem(name).waitFor();
    }
    assert.ok(sim.requests.every((r) => r.credentials === 'token'));
    await saveReadmeScreenshot(page, 'tree');
  });

  test('right-click a running VM, Shutdown, confirm, see it stopped', async function () {
    this.timeout(60_000);
    await contextMenu(treeItem('db01, virtual machine 102, running'), 'Shutdown', 'context-menu');
    await dialog().getByText('Shutdown VM 102 db01 on pve1?').waitFor();
    const text = await dialog().innerText();
    assert.match(text, /Virtual machine 102 "db01" on node pve1 is running\./);
    await saveReadmeScreenshot(page, 'confirmation');
    await dialog().getByRole('button', { name: 'Shutdown', exact: true }).click();
    // While the task runs: a cancellable progress notification and "shutting down…" on the item.
    await page.getByText('VM 102 db01 on pve1: shutting down…').first().waitFor({ timeout: 10_000 });
    await page.getByRole('treeitem', { name: /^db01/ }).getByText('shutting down…').waitFor({ timeout: 10_000 });
    await saveReadmeScreenshot(page, 'progress');
    await page.getByText('VM 102 db01 on pve1: running → stopped', { exact: true }).waitFor({ timeout: 30_000 });
    await treeItem('db01, virtual machine 102, stopped').waitFor({ timeout: 30_000 });
    await saveReadmeScreenshot(page, 'report');
    assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 1);
  });

  test('take a snapshot, then roll back to it', async function () {
    this.timeout(90_000);
    await contextMenu(treeItem('build01, virtual machine 103, stopped'), 'Take Snapshot…');
    await answerInput('Take Snapshot', 'e2e-snap');
    await answerInput('Description (optional)', 'taken by the e2e suite');
    await page.getByText('VM 103 build01 on pve2: snapshot "e2e-snap" taken (stopped → stopped)', { exact: true }).waitFor({ timeout: 30_000 });
    await treeItem('build01, virtual machine 103, stopped').click();
    await page.keyboard.press('ArrowRight');
    const snapshot = treeItem(/^e2e-snap/);
    await snapshot.waitFor({ timeout: 20_000 });
    await saveReadmeScreenshot(page, 'snapshots');
    await contextMenu(snapshot, 'Roll Back to Snapshot…');
    await dialog().getByText('Roll back VM 103 build01 on pve2 to "e2e-snap"?').waitFor();
    assert.match(await dialog().innerText(), /Everything that changed since the snapshot is lost/);
    await dialog().getByRole('button', { name: 'Roll Back', exact: true }).click();
    await page.getByText('VM 103 build01 on pve2: rolled back to "e2e-snap" (stopped → stopped)', { exact: true }).waitFor({ timeout: 30_000 });
    const rollbacks = sim.requests.filter((r) => r.method === 'POST' && r.apiPath?.endsWith('/snapshot/e2e-snap/rollback'));
    assert.equal(rollbacks.length, 1);
    // The task started here is in the Tasks view at once; its log opens as a document.
    await page.getByRole('button', { name: 'Tasks Section' }).click();
    const task = page.getByRole('treeitem', { name: /^VM 103: rollback/ }).first();
    await task.waitFor({ timeout: 15_000 });
    await task.click();
    await page.locator('.monaco-editor .view-lines').getByText('TASK OK').waitFor({ timeout: 15_000 });
    await saveReadmeScreenshot(page, 'task-log');
  });

  test('Get API Path… from the palette shows /cluster/resources as JSON', async function () {
    this.timeout(60_000);
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.keyboard.type('Proxmox: Get API Path');
    await page.getByRole('option', { name: /Proxmox: Get API Path/ }).first().waitFor();
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('/cluster/resources');
    await page.getByRole('option', { name: /GET \/cluster\/resources/ }).waitFor();
    await page.keyboard.press('Enter');
    // The optional `type` parameter is offered; Enter with none picked skips it.
    await page.getByText('Query parameters for /cluster/resources (optional)').waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: /resources\.json/ }).waitFor({ timeout: 20_000 });
    await page.locator('.monaco-editor .view-lines').getByText('"qemu/100"').first().waitFor();
    await saveReadmeScreenshot(page, 'palette-query');
  });

  test('Add Cluster… through the input boxes adds a second, read-only cluster', async function () {
    this.timeout(60_000);
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.keyboard.type('Proxmox: Add Cluster');
    // Click the exact entry: "Add Cluster with User Name and Password…" ranks close to it.
    await page.getByRole('option', { name: /Proxmox: Add Cluster…/ }).first().click();
    await answerInput('Proxmox VE: cluster address', sim.url);
    await answerInput('Proxmox VE: API token id', sim.tokens.readonly.tokenId);
    await answerInput('Proxmox VE: API token secret', sim.tokens.readonly.secret);
    const widget = page.locator('.quick-input-widget');
    await widget.getByText('Proxmox VE: display name').waitFor();
    await widget.locator('input').fill('Read-only');
    await widget.locator('input').press('Enter');
    await dialog().getByText(/Do you trust the certificate of 127\.0\.0\.1/).waitFor();
    await dialog().getByRole('button', { name: 'Trust and Pin', exact: true }).click();
    // The second cluster loads with the read-only token: its nodes and guests are counted.
    await treeItem(/^Read-only/).getByText(/3 nodes · \d+\/14 running/).waitFor({ timeout: 30_000 });
    const entry = (sim.requests.filter((r) => r.auth.kind === 'token' && r.auth.tokenId === sim.tokens.readonly.tokenId));
    assert.ok(entry.some((r) => r.apiPath === '/cluster/resources'), 'the new cluster was read with its own token');
  });

});
