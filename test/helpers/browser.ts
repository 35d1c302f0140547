import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium: the browser tests drive it, never a downloaded one. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run; when not, they skip with {@link NO_CHROMIUM}. */
export const hasChromium = existsSync(CHROMIUM);

/** Why the browser tests skipped. */
export const NO_CHROMIUM = `skipped: ${CHROMIUM} is absent (apt-get install chromium; CI installs it)`;

/** Where the browser tests save their screenshots for review (gitignored). */
export const SCREENSHOT_DIR = join('test-output', 'dashboard');

/** A headless Chromium with a profile of its own, for one test file. */
export interface TestBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  /** Saves `page` as `test-output/dashboard/<name>.png`; returns the path. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** How long a test file's `beforeAll` may take to start the browser. */
export const BROWSER_START_MS = 120_000;

/**
 * Starts headless Chromium for a closed network: no sandbox (root in CI), no GPU, no background
 * requests, a throw-away profile directory.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'dashboard-chromium-'));
  let context: BrowserContext;
  try {
    // launchPersistentContext passes the profile as --user-data-dir (launch() refuses that flag).
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      viewport: { width: 1280, height: 900 },
      // A cold start on a loaded CI machine (fonts, a new profile) can take tens of seconds.
      timeout: 90_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    newPage: () => context.newPage(),
    async screenshot(page, name) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
