/** Measures how long a model page takes, from navigation start, to show its first version row. */
import type { BrowserContext } from 'playwright-core';

/** Milliseconds from navigation start to the first `tr[data-version]` in the DOM, for a cold and a warm load. */
export async function measureFirstRows(context: BrowserContext, url: string): Promise<{ coldMs: number; warmMs: number }> {
  // A string (not a function): the root tsconfig has no DOM types, and this runs in the page.
  await context.addInitScript(`
    (() => {
      const observer = new MutationObserver(() => {
        if (window.__firstRowMs === undefined && document.querySelector('[data-testid="versions-table"] tbody tr[data-version]')) {
          window.__firstRowMs = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    })();
  `);
  const page = await context.newPage();
  const once = async () => {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector('[data-testid="versions-table"] tbody tr[data-version]', { timeout: 15_000 });
    await page.waitForFunction('window.__firstRowMs !== undefined');
    return page.evaluate<number>('Math.round(window.__firstRowMs)');
  };
  const coldMs = await once();
  const warmMs = await once();
  await page.close();
  return { coldMs, warmMs };
}
