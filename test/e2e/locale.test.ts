import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench } from './fixture';
import { manifestStrings, openProxmoxView } from './proxmoxView';
import { saveReadmeScreenshot } from './screenshots';
import { projectRoot } from '../host/paths';
import { CANARY_SECRET } from '../integration/helpers/canary';
import { startSimulator, type Simulator } from '../sim/simulator';

// Also exercises the fixture's restart: a different locale needs a new code-server.
suite('Proxmox view in Simplified Chinese (zh-cn)', () => {
  const locale = 'zh-cn';
  let page: Page;
  const strings = manifestStrings(locale);
  const welcome = strings['viewsWelcome.clusters.noClusters'] ?? '';
  const [firstLine = ''] = welcome.split('\n');
  const linkLabel = /\[([^\]]+)\]\(command:/.exec(welcome)?.[1] ?? '';

  suiteSetup(async function () {
    this.timeout(120_000);
    page = await openWorkbench({ locale });
  });

  test('the welcome content comes from package.nls.zh-cn.json', async () => {
    assert.notEqual(firstLine, manifestStrings()['viewsWelcome.clusters.noClusters']?.split('\n')[0], 'package.nls.zh-cn.json has no translation');
    await openProxmoxView(page, locale);
    await page.getByText(firstLine, { exact: true }).waitFor();
    await page.getByRole('button', { name: linkLabel, exact: true }).waitFor();
  });
});

suite('The cluster tree and a confirmation in Simplified Chinese', () => {
  const locale = 'zh-cn';
  let page: Page;
  let sim: Simulator;

  suiteSetup(async function () {
    this.timeout(180_000);
    sim = await startSimulator({ taskDurationMs: 300, certificate: { keyType: 'ec' } });
    sim.state.addToken('automation@pve', { name: 'canary', secret: CANARY_SECRET, privsep: false });
    page = await openWorkbench({ locale, env: { PVE_HOST: sim.url, PVE_TOKEN_ID: 'automation@pve!canary', PVE_TOKEN_SECRET: CANARY_SECRET }, fresh: true });
  });

  suiteTeardown(async () => {
    await sim.close();
  });

  test('import, trust, the tree and the shutdown modal speak Chinese', async function () {
    this.timeout(90_000);
    const t = bundle();
    const dialog = page.locator('.monaco-dialog-box');
    await openProxmoxView(page, locale);
    await page.getByRole('button', { name: '从环境变量导入', exact: true }).click();
    await dialog.getByText(t['Add the cluster from the environment variables?']!).waitFor();
    await dialog.getByRole('button', { name: t['Add Cluster']!, exact: true }).click();
    await dialog.getByText(/是否信任 127\.0\.0\.1:\d+ 的证书？/).waitFor();
    await dialog.getByRole('button', { name: t['Trust and Pin']!, exact: true }).click();
    const db01 = page.getByRole('treeitem', { name: /^db01, 虚拟机 102, 运行中$/ });
    await db01.waitFor({ timeout: 30_000 });
    await page.getByRole('treeitem', { name: /^dns01, 容器 101, 运行中$/ }).waitFor();
    await saveReadmeScreenshot(page, 'tree-zh-cn');
    await db01.click({ button: 'right' });
    const shutdown = page.getByRole('menuitem', { name: '关机', exact: true });
    await shutdown.waitFor();
    await shutdown.hover();
    await page.waitForTimeout(200);
    await shutdown.click();
    await dialog.getByText('关机 VM 102 db01（位于 pve1）？').waitFor();
    const text = await dialog.innerText();
    assert.match(text, /虚拟机 102“db01”位于节点 pve1，状态为运行中。/);
    await saveReadmeScreenshot(page, 'confirmation-zh-cn');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(sim.requests.filter((r) => r.method === 'POST').length, 0, 'dismissed: nothing was sent');
  });
});

/** The extension's own zh-cn bundle: the test reads the expected texts from it. */
function bundle(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
}
