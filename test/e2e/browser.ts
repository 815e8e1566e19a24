/**
 * Headless Chromium for the dashboard suites: Debian's `chromium` driven by playwright-core (never a
 * downloaded browser). Missing chromium skips the suite with a message, except under CI=true.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian installs chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether chromium is installed. */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** Why the suite is skipped (printed), or null when it can run. Under CI=true a missing browser throws. */
export function chromiumSkipReason(): string | null {
  if (HAVE_CHROMIUM) return null;
  const message = `${CHROMIUM} not found: the dashboard browser tests need Debian's chromium (apt-get install chromium).`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return message;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A browser with a fresh profile; `close()` also removes the profile folder. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches chromium with a throwaway profile. */
export async function launchBrowser(viewport = { width: 1400, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'modelplane-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport, headless: true });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Console errors and uncaught page errors of a page, collected as they happen. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}
