import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { projectRoot } from '../host/paths';

/** Manifest strings as a given display language shows them (package.nls[.<locale>].json). */
export function manifestStrings(locale?: string): Record<string, string> {
  const base = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  if (locale === undefined) return base;
  const localized = path.join(projectRoot, `package.nls.${locale}.json`);
  return { ...base, ...(fs.existsSync(localized) ? JSON.parse(fs.readFileSync(localized, 'utf8')) as Record<string, string> : {}) };
}

/** Clicks the Proxmox tab in the activity bar and waits for the Clusters view's header. */
export async function openProxmoxView(page: Page, locale?: string): Promise<Locator> {
  const strings = manifestStrings(locale);
  const containerTitle = strings['viewsContainers.proxmox.title'] ?? 'Proxmox';
  const tab = page.getByRole('tab', { name: containerTitle });
  // The tab appears once the workbench has read the extension's manifest.
  await tab.waitFor({ timeout: 60_000 });
  // Clicking an already selected tab would close the side bar.
  if (await tab.getAttribute('aria-selected') !== 'true') await tab.click();
  const clustersHeader = page.getByRole('heading', { level: 3, name: strings['views.clusters.name'] ?? 'Clusters', exact: true });
  await clustersHeader.waitFor();
  return page.locator('.sidebar');
}
