// Headless Chromium (Debian's, as Playwright's own browser download cannot work offline) for the
// code-server workbench.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** Holds the browser profile and the HOME it runs with; created if missing. */
  readonly profileDir: string;
  readonly viewport?: { width: number; height: number };
}

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 };

/** `CHROMIUM_PATH` overrides; Debian's package installs /usr/bin/chromium. */
export function chromiumPath(): string {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => p !== undefined && p !== '' && fs.existsSync(p));
  if (found === undefined) {
    throw new Error('Chromium not found. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH)');
  }
  return found;
}

export async function launchBrowser(options: BrowserOptions): Promise<Browser> {
  const profileDir = path.resolve(options.profileDir);
  // Chromium keeps crash reports and caches under $HOME/XDG dirs: keep them in the profile too.
  const home = path.join(profileDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  // launchPersistentContext takes the profile folder itself and refuses --user-data-dir in args.
  const context = await chromium.launchPersistentContext(path.join(profileDir, 'profile'), {
    executablePath: chromiumPath(),
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    headless: true,
    viewport: options.viewport ?? DEFAULT_VIEWPORT,
    args: [
      '--no-sandbox', // we run as root
      '--disable-gpu',
      // Without these Chromium keeps dialling Google's services, which this network refuses.
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context,
    page,
    close: () => context.close(),
  };
}
