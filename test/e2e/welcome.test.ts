import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openWorkbench } from './fixture';
import { manifestStrings, openProxmoxView } from './proxmoxView';

suite('Proxmox view with no cluster configured', () => {
  let page: Page;
  const strings = manifestStrings();
  // "No Proxmox VE cluster is configured yet.\n[Add Cluster](command:…)\n…"
  const welcome = strings['viewsWelcome.clusters.noClusters'] ?? '';
  const [firstLine = ''] = welcome.split('\n');
  const linkLabel = /\[([^\]]+)\]\(command:/.exec(welcome)?.[1] ?? '';

  suiteSetup(async function () {
    this.timeout(120_000);
    page = await openWorkbench();
  });

  test('the activity bar tab opens the welcome content with an Add Cluster button', async () => {
    assert.equal(firstLine, 'No Proxmox VE cluster is configured yet.');
    assert.equal(linkLabel, 'Add Cluster');
    await openProxmoxView(page);
    await page.getByText(firstLine, { exact: true }).waitFor();
    // exact: the view's title bar also has an "Add Cluster…" action.
    const button = page.getByRole('button', { name: linkLabel, exact: true });
    await button.waitFor();
    assert.equal(await button.isEnabled(), true);
  });
});
