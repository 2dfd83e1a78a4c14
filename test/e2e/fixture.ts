// The e2e layer's shared fixture: ONE headless Chromium for the whole mocha run and one code-server,
// restarted only when a suite asks for a different extension-host environment, settings or locale.
// The runner (test/host/runE2e.ts) installs `mochaHooks` as mocha root hooks.
import * as path from 'node:path';
import type { Context } from 'mocha';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from '../host/browser';
import { startCodeServer, type CodeServer } from '../host/codeServer';
import { projectRoot } from '../host/paths';
import { createRunDir } from '../host/runDir';
import { saveFailureScreenshot } from './screenshots';

export interface WorkbenchOptions {
  /** Added to the extension host's environment (e.g. PVE_HOST, a simulator URL). */
  readonly env?: Readonly<Record<string, string>>;
  /** User settings, merged over the test defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Display language, e.g. `zh-cn`. */
  readonly locale?: string;
  /** A new code-server with an empty profile even if the options are unchanged. */
  readonly fresh?: boolean;
}

// Read when used: the runner sets it from --verbose after this module is loaded.
const verbose = (): boolean => process.env['E2E_VERBOSE'] === '1';
let browser: Browser | undefined;
let server: { instance: CodeServer; key: string } | undefined;

/**
 * Opens a workbench with the extension under development loaded and returns the shared page.
 * Call it in each suite's suiteSetup: every call loads the workbench anew.
 */
export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Page> {
  const page = currentPage();
  const key = stableKey({ env: options.env ?? {}, settings: options.settings ?? {}, locale: options.locale ?? '' });
  if (server === undefined || server.key !== key || options.fresh === true) {
    await server?.instance.stop();
    server = undefined;
    const instance = await startCodeServer({
      label: 'e2e',
      env: { PROXMOX_TEST_HOST: 'code-server', ...options.env },
      ...(options.settings !== undefined ? { settings: options.settings } : {}),
      ...(options.locale !== undefined ? { locale: options.locale } : {}),
      verbose: verbose(),
    });
    server = { instance, key };
  }
  await page.goto(server.instance.workbenchUrl({ extensionDevelopmentPath: projectRoot }));
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
  return page;
}

/** The one browser page every suite drives. */
export function currentPage(): Page {
  if (browser === undefined) throw new Error('the e2e fixture is not set up: run the suites through out/test/host/runE2e.js');
  return browser.page;
}

/** Mocha root hooks: one browser per run, a screenshot of every failed test, everything closed at the end. */
export const mochaHooks = {
  async beforeAll(this: Context): Promise<void> {
    this.timeout(60_000);
    browser = await launchBrowser({ profileDir: createRunDir('e2e-chromium') });
    if (verbose()) browser.page.on('console', (message) => { console.error(`[browser] ${message.text()}`); });
  },
  async afterEach(this: Context): Promise<void> {
    const test = this.currentTest;
    if (browser !== undefined && test?.state === 'failed') {
      const file = await saveFailureScreenshot(browser.page, test.fullTitle());
      console.error(`    screenshot: ${path.relative(projectRoot, file)}`);
    }
  },
  async afterAll(this: Context): Promise<void> {
    this.timeout(30_000);
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await server?.instance.stop();
    server = undefined;
  },
};

/** JSON with sorted keys, so that equal options compare equal. */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v
  ));
}
