import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openWorkbench } from './fixture';
import { manifestStrings, openProxmoxView } from './proxmoxView';

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
