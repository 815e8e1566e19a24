/**
 * The dashboard end to end, in real headless Chromium (Debian `chromium` through playwright-core):
 * a real server (SQLite + local folder in a temp dir) seeded by the iris example, then every page, a
 * promotion through the UI checked through the API, a comparison, the lineage graph, a promotion made
 * through the API appearing live, role-dependent controls, `modelplane up` mode without a login, and
 * the first-rows time of a model with 10,000 versions. No console errors anywhere. Screenshots land in
 * test-results/ (look at them: they are what users see).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { chromiumSkipReason, collectErrors, launchBrowser, type Browser } from './browser.js';
import { ensureDashboardBuilt, REPO } from './build.js';
import { measureFirstRows } from './first-rows.js';
import { api, bulkInsertVersions, createKey, runIrisExample, saveExtraArtifacts } from './seed.js';

const skip = chromiumSkipReason();
const SHOTS = path.join(REPO, 'test-results');
const MODEL = 'iris_classifier';

interface Version {
  id: string;
  number: number;
  stage: string;
}
interface Transition {
  versionNumber: number;
  fromStage: string;
  toStage: string;
  displacedVersionNumber: number | null;
  actor: string;
  reason: string | null;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Fails with the page's text when the dashboard is not served at `/`. */
async function expectDashboardServed(base: string): Promise<void> {
  const res = await fetch(`${base}/models/${MODEL}`);
  const html = await res.text();
  expect(res.status, 'the server must serve the dashboard (SPA fallback) at /').toBe(200);
  expect(html).toContain('<div id="root">');
}

describe.skipIf(skip !== null)('dashboard in Chromium, server mode (auth on, seeded by the iris example)', () => {
  let tmp: string;
  let server: RunningServer;
  let base: string;
  let admin: string;
  let editor: string;
  let viewer: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const v = (key: string | null = admin) => ({
    get: <T>(route: string) => api<T>(base, key, 'GET', route),
    patch: <T>(route: string, body: unknown) => api<T>(base, key, 'PATCH', route, body),
  });

  beforeAll(async () => {
    ensureDashboardBuilt();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'modelplane-e2e-'));
    server = await startServer({ database: `sqlite://${path.join(tmp, 'modelplane.db')}`, artifactStore: path.join(tmp, 'artifacts'), auth: true, port: 0, closeGraceMs: 2000 });
    base = server.url;
    admin = server.adminKey!;
    await runIrisExample(base, admin, path.join(tmp, 'home'));
    await saveExtraArtifacts(base, admin, MODEL, 2); // an image and a deployment artifact for the previews
    editor = await createKey(base, admin, 'e2e-editor', 'editor');
    viewer = await createKey(base, admin, 'e2e-viewer', 'viewer');
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    errors = collectErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    // Every page of every test: no console errors, no uncaught exceptions.
    expect(errors).toEqual([]);
  });

  test('the server serves the dashboard at / with a fallback for deep links', async () => {
    await expectDashboardServed(base);
  });

  test('asks for an API key, then lists the models with latest version and stage holders', async () => {
    await page.goto(`${base}/`);
    await page.locator('input[name="apiKey"]').waitFor();
    await shot(page, 'login');
    await page.fill('input[name="apiKey"]', admin);
    await page.click('button[type="submit"]');
    const row = page.locator(`[data-testid="models-table"] tr[data-model="${MODEL}"]`);
    await row.waitFor();
    expect(await page.locator('[data-testid="who"]').textContent()).toContain('admin');
    const cells = row.locator('td');
    expect(await cells.nth(2).textContent()).toBe('v2'); // latest
    expect(await cells.nth(3).textContent()).toContain('v2'); // production
    expect(await cells.nth(4).textContent()).toBe('—'); // staging
    await shot(page, 'models');

    // The shared filter syntax, applied by the server.
    await page.fill('input[name="filter"]', 'name~IRIS and license="Apache 2.0"');
    await page.press('input[name="filter"]', 'Enter');
    await page.waitForURL(/q=/);
    await row.waitFor();
    await page.fill('input[name="filter"]', 'name~nothing_like_this');
    await page.press('input[name="filter"]', 'Enter');
    await page.getByText('No model matches this filter.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();
  });

  test('model page: model card, versions with metric columns (sortable), chart, stage timeline', async () => {
    await page.locator(`tr[data-model="${MODEL}"] a`, { hasText: MODEL }).click();
    await page.waitForURL(`**/models/${MODEL}`);
    const rows = page.locator('[data-testid="versions-table"] tbody tr[data-version]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('[data-testid="model-card"]').textContent()).toContain('Apache 2.0');
    // The accuracy column comes from the versions' metadata; sort by it, best first.
    const header = page.locator('[data-testid="versions-table"] th', { hasText: 'accuracy' }).first();
    await header.waitFor();
    await header.locator('button').click();
    await page.waitForURL(/sort=-metadata\.evaluation_metrics\.accuracy/);
    await expect.poll(() => rows.first().getAttribute('data-version')).toBe('2');
    await header.locator('button').click();
    await expect.poll(() => rows.first().getAttribute('data-version')).toBe('1');
    expect(await rows.first().textContent()).toContain('0.6667');
    // uPlot draws the chosen metric across versions.
    await page.locator('[data-testid="metric-chart"] canvas').waitFor();
    const timeline = page.locator('[data-testid="stage-timeline"]');
    expect(await timeline.textContent()).toContain('beats version 1');
    await shot(page, 'model');
  });

  test('version page: metadata cards, artifacts by type with previews, runs, lineage graph', async () => {
    await page.goto(`${base}/models/${MODEL}/versions/2`);
    await page.locator('[data-key="evaluation_metrics"]').waitFor();
    expect(await page.locator('[data-key="evaluation_metrics"]').textContent()).toContain('accuracy');
    const modelGroup = page.locator('[data-group="model"]');
    await modelGroup.locator('[data-artifact="trained_model"]').waitFor();
    expect(await page.locator('[data-group="data"] [data-artifact="iris_train"]').count()).toBe(1);
    // A table artifact previews its first rows; sizes and hashes are shown.
    await page.locator('[data-artifact="iris_train"] .preview-table table tbody tr').first().waitFor();
    expect(await page.locator('[data-artifact="iris_train"]').textContent()).toMatch(/sha256 [0-9a-f]{12}/);
    // JSON pretty-printed (a deployment artifact), and an image fetched with the key and shown inline.
    await page.locator('[data-group="deployment"] [data-artifact="serving_config"] .preview-json', { hasText: '"replicas": 2' }).waitFor();
    const image = page.locator('[data-group="data"] [data-artifact="confusion_matrix"] img.preview-img');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    // The runs that produced and consumed the version.
    await page.locator('[data-testid="version-runs"] tr', { hasText: 'iris_inference' }).filter({ hasText: 'consumed' }).waitFor();
    await page.locator('[data-testid="version-runs"]', { hasText: 'iris_training' }).waitFor();
    await shot(page, 'version');

    await page.click('[data-testid="lineage-toggle"]');
    const nodes = page.locator('[data-testid="lineage-graph"] .react-flow__node');
    await nodes.first().waitFor();
    expect(await nodes.count()).toBeGreaterThanOrEqual(5);
    const labels = await nodes.allTextContents();
    expect(labels.join(' ')).toContain('trainer');
    expect(labels.join(' ')).toContain('trained_model');
    await page.locator('[data-testid="lineage"]').scrollIntoViewIfNeeded();
    await shot(page, 'lineage');
  });

  test('promotes a version through the UI (reason, then a confirmed force); the API sees it', async () => {
    await page.goto(`${base}/models/${MODEL}/versions/1`);
    await page.locator('[data-testid="version-stage"] [data-stage="archived"]').waitFor();

    await page.click('[data-target="staging"]');
    const dialog = page.getByRole('dialog');
    const confirm = dialog.locator('button[type="submit"]');
    expect(await confirm.isDisabled()).toBe(true); // a reason is required
    await dialog.locator('textarea[name="reason"]').fill('e2e: try v1 in staging');
    await expect.poll(() => confirm.isDisabled()).toBe(false);
    await confirm.click();
    await page.locator('[data-testid="version-stage"] [data-stage="staging"]').waitFor();
    expect((await v().get<Version>(`/models/${MODEL}/versions/staging`)).number).toBe(1);

    // Production is held by v2: the dialog asks to confirm the force before it may be sent.
    await page.click('[data-target="production"]');
    await dialog.locator('textarea[name="reason"]').fill('e2e: roll back to v1');
    await dialog.locator('input[name="force"]').waitFor();
    expect(await dialog.textContent()).toContain('v2 holds production');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.locator('input[name="force"]').check();
    await shot(page, 'promote-dialog');
    await confirm.click();
    await page.locator('[data-testid="version-stage"] [data-stage="production"]').waitFor();

    expect((await v().get<Version>(`/models/${MODEL}/versions/production`)).number).toBe(1);
    expect((await v().get<Version>(`/models/${MODEL}/versions/2`)).stage).toBe('archived');
    const history = await v().get<{ items: Transition[] }>(`/models/${MODEL}/stage_history`);
    const last = history.items.at(-1)!;
    expect(last).toMatchObject({ versionNumber: 1, fromStage: 'staging', toStage: 'production', displacedVersionNumber: 2, actor: 'admin', reason: 'e2e: roll back to v1' });
    await shot(page, 'promoted');
  });

  test('compares two versions: metadata differences with deltas, artifact hashes', async () => {
    await page.goto(`${base}/models/${MODEL}`);
    await page.check('input[aria-label="Select version 1"]');
    await page.check('input[aria-label="Select version 2"]');
    await page.click('[data-testid="compare-button"]');
    await page.waitForURL(/\/compare\?v=1&v=2/);
    const accuracy = page.locator('[data-testid="compare-metadata"] tr[data-path="evaluation_metrics.accuracy"]');
    await accuracy.waitFor();
    expect(await accuracy.getAttribute('class')).toContain('diff');
    expect(await accuracy.textContent()).toContain('+0.3111');
    expect(await page.locator('[data-testid="compare-artifacts"] tr[data-artifact="trained_model"]').textContent()).toContain('differ');
    expect(await page.locator('[data-testid="compare-artifacts"] tr[data-artifact="iris_train"]').textContent()).toContain('identical');
    await shot(page, 'compare');
  });

  test('runs: the list, then a run with its step graph, statuses, durations, cache hits and logs', async () => {
    await page.click('nav >> text=Runs');
    const rows = page.locator('[data-testid="runs-table"] tbody tr[data-run]');
    await expect.poll(() => rows.count()).toBe(3);
    await shot(page, 'runs');
    // The second training run reuses load_iris from the cache.
    const runs = await v().get<{ items: Array<{ id: string; pipelineName: string; startedAt: string }> }>('/runs?pipeline=iris_training');
    const second = [...runs.items].sort((a, b) => a.startedAt.localeCompare(b.startedAt))[1]!;
    await page.locator(`tr[data-run="${second.id}"] a`).click();
    await page.locator('[data-testid="step-graph"] .react-flow__node').nth(2).waitFor();
    expect(await page.locator('[data-testid="step-graph"] .react-flow__node').count()).toBe(3);
    expect(await page.locator('tr[data-step="load_iris"]').textContent()).toContain('cache hit');
    expect(await page.locator('tr[data-step="trainer"]').textContent()).toMatch(/completed.*\d+ ms/);
    await page.click('tr[data-step="trainer"]');
    expect(await page.locator('[data-testid="step-logs"] pre').textContent()).toContain('trained 50 trees');
    await shot(page, 'run');
  });

  test('a stage change made through the API appears without a reload (server-sent events)', async () => {
    await page.goto(`${base}/models/${MODEL}/versions/2`);
    await page.locator('[data-testid="version-stage"] [data-stage="archived"]').waitFor();
    await page.locator('[data-testid="live-indicator"]', { hasText: 'live' }).waitFor();
    await page.evaluate('window.__noReload = true');
    const mv = await v().get<Version>(`/models/${MODEL}/versions/2`);
    await v().patch(`/model_versions/${mv.id}`, { stage: 'staging', reason: 'e2e: live update' });
    await page.locator('[data-testid="version-stage"] [data-stage="staging"]').waitFor({ timeout: 10_000 });
    await page.locator('.toast', { hasText: 'v2: archived → staging' }).waitFor();
    expect(await page.evaluate('window.__noReload')).toBe(true);
    await shot(page, 'live');
  });

  test('roles: a viewer sees no stage controls; an editor may not touch production', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.fill('input[name="apiKey"]', viewer);
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="who"]', { hasText: 'viewer' }).waitFor();
    await page.goto(`${base}/models/${MODEL}/versions/2`);
    await page.locator('[data-testid="version-stage"] [data-stage="staging"]').waitFor();
    expect(await page.locator('[data-testid="stage-controls"]').count()).toBe(0);
    expect(await page.locator('button[data-target]').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.fill('input[name="apiKey"]', editor);
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="who"]', { hasText: 'editor' }).waitFor();
    await page.goto(`${base}/models/${MODEL}/versions/2`); // staging
    await page.locator('[data-testid="stage-controls"]').waitFor();
    const targets = await page.locator('button[data-target]').evaluateAll((els) => els.map((e) => e.getAttribute('data-target')));
    expect(targets.sort()).toEqual(['archived', 'none']);
    await shot(page, 'editor');
    await page.goto(`${base}/models/${MODEL}/versions/1`); // production
    await page.locator('[data-testid="version-stage"] [data-stage="production"]').waitFor();
    expect(await page.locator('button[data-target]').count()).toBe(0);
  });
});

describe.skipIf(skip !== null)('dashboard in Chromium, `modelplane up` mode (no auth) with 10,000 versions', () => {
  let tmp: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureDashboardBuilt();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'modelplane-e2e-up-'));
    server = await startServer({ database: `sqlite://${path.join(tmp, 'modelplane.db')}`, artifactStore: path.join(tmp, 'artifacts'), auth: false, port: 0, closeGraceMs: 2000 });
    await api(server.url, null, 'POST', '/models', { name: 'big_model', license: 'MIT', description: 'Ten thousand versions', tags: ['bench'] });
    for (let i = 0; i < 29; i++) await api(server.url, null, 'POST', '/models', { name: `small_${String(i).padStart(2, '0')}`, tags: i % 2 ? ['odd'] : [] });
    bulkInsertVersions(path.join(tmp, 'modelplane.db'), 'big_model', 10_000);
    const v9000 = await api<Version>(server.url, null, 'GET', '/models/big_model/versions/9000');
    await api(server.url, null, 'PATCH', `/model_versions/${v9000.id}`, { stage: 'production', reason: 'bench' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('no login screen; every control of an admin; the model page shows its first rows within 1 s', async () => {
    await expectDashboardServed(server.url);
    const { coldMs, warmMs } = await measureFirstRows(browser.context, `${server.url}/models/big_model`);
    console.log(`first version row of a 10,000-version model: ${coldMs} ms cold, ${warmMs} ms warm (from navigation start)`);
    // The budget proper (cold, median of rounds on an idle machine) is enforced by bench/dashboard.ts; here
    // the suite may share 2 cores with every other suite of `npm test`, so the better of the two loads counts.
    expect(Math.min(coldMs, warmMs)).toBeLessThan(1000);

    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="models-table"] tr[data-model="big_model"]').waitFor();
    expect(await page.locator('input[name="apiKey"]').count()).toBe(0);
    expect(await page.locator('[data-testid="who"]').textContent()).toContain('no auth');
    // 30 models, 25 a page: the server pages them.
    const rows = page.locator('[data-testid="models-table"] tbody tr[data-model]');
    expect(await rows.count()).toBe(25);
    expect(await page.locator('.pager').textContent()).toContain('Page 1 of 2 · 30 total');
    await page.getByRole('button', { name: 'Next ›' }).click();
    await page.waitForURL(/page=2/);
    await expect.poll(() => rows.count()).toBe(5);
    await page.fill('input[name="filter"]', 'tag=odd');
    await page.press('input[name="filter"]', 'Enter');
    await expect.poll(() => rows.count()).toBe(14);
    await page.goto(`${server.url}/models/big_model`);
    await page.locator('[data-testid="versions-table"] tbody tr[data-version="10000"]').waitFor();
    expect(await page.locator('[data-testid="versions-card"]').textContent()).toContain('10,000');
    await page.locator('[data-testid="metric-chart"] canvas').waitFor();
    await shot(page, 'up-model-10k');
    await page.goto(`${server.url}/models/big_model/versions/10000`);
    await page.locator('[data-testid="stage-controls"]').waitFor();
    const targets = await page.locator('button[data-target]').evaluateAll((els) => els.map((e) => e.getAttribute('data-target')));
    expect(targets.sort()).toEqual(['archived', 'production', 'staging']);
    await shot(page, 'up-version');
    expect(errors).toEqual([]);
  });
});
