import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot, testResultsDir } from '../host/paths';

/** `test-results/<test title>.png`, the whole page, for a failed test. */
export async function saveFailureScreenshot(page: Page, title: string): Promise<string> {
  const file = path.join(testResultsDir, `${fileName(title)}.png`);
  fs.mkdirSync(testResultsDir, { recursive: true });
  await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
  return file;
}

/**
 * Saves `media/screenshots/<name>.png` for the README, only when UPDATE_SCREENSHOTS=1: the images
 * are tracked, and ordinary test runs should not rewrite them. Returns the file written, if any.
 */
export async function saveReadmeScreenshot(page: Page, name: string, options: { clip?: { x: number; y: number; width: number; height: number } } = {}): Promise<string | undefined> {
  if (process.env['UPDATE_SCREENSHOTS'] !== '1') return undefined;
  const dir = path.join(projectRoot, 'media', 'screenshots');
  const file = path.join(dir, `${fileName(name)}.png`);
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: file, ...(options.clip ? { clip: options.clip } : {}) });
  return file;
}

function fileName(title: string): string {
  return title.replace(/[^\p{L}\p{N}._-]+/gu, ' ').trim().replace(/\s+/g, '-').slice(0, 150) || 'untitled';
}
