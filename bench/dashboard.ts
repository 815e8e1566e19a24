/**
 * Dashboard budgets (issue 6): with 10,000 versions of one model, the model page shows its first rows
 * within 1 s of navigation in headless Chromium; the production bundle stays under 400 KB gzipped.
 *
 * Method: a server in `modelplane up` mode (no auth) on a fresh SQLite store; the model's 10,000 versions
 * (each with an `evaluation_metrics` object and a `learning_rate`) are inserted with raw SQL in one
 * transaction, v9000 is promoted through the API. For each of ROUNDS fresh browser profiles (cold cache),
 * the time from navigation start to the first version row in the DOM is read in the page
 * (`performance.now()` in a MutationObserver), then once more on the same profile (warm cache).
 * The bundle is every file of dist/dashboard, gzipped at level 9; "initial" is what the first page
 * load fetches (index.html and the entry chunk and stylesheet), the rest is lazy-loaded routes.
 *
 * Run: npx tsx bench/dashboard.ts          Writes: bench/results/dashboard.json
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startServer } from '../src/server/start-server.js';
import { HAVE_CHROMIUM, launchBrowser } from '../test/e2e/browser.js';
import { DASHBOARD_DIST, ensureDashboardBuilt } from '../test/e2e/build.js';
import { measureFirstRows } from '../test/e2e/first-rows.js';
import { api, bulkInsertVersions } from '../test/e2e/seed.js';
import { loadAverageNow, machineInfo } from './support/machine-info.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'dashboard.json');
const VERSIONS = 10_000;
const ROUNDS = 5;
const FIRST_ROWS_BUDGET_MS = 1000;
const BUNDLE_BUDGET_BYTES = 400 * 1024;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function bundleSizes() {
  const html = readFileSync(path.join(DASHBOARD_DIST, 'index.html'), 'utf8');
  const initialNames = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]!));
  const files = readdirSync(path.join(DASHBOARD_DIST, 'assets')).map((name) => {
    const bytes = readFileSync(path.join(DASHBOARD_DIST, 'assets', name));
    return { file: `assets/${name}`, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, initial: initialNames.has(name) };
  });
  const htmlGz = gzipSync(Buffer.from(html), { level: 9 }).length;
  const total = files.reduce((a, f) => a + f.gzipBytes, htmlGz);
  const initial = files.filter((f) => f.initial).reduce((a, f) => a + f.gzipBytes, htmlGz);
  return { totalGzipBytes: total, initialGzipBytes: initial, totalBytes: files.reduce((a, f) => a + f.bytes, html.length), files: files.sort((a, b) => b.gzipBytes - a.gzipBytes) };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAverageAtStart = loadAverageNow();
  ensureDashboardBuilt();
  const bundle = bundleSizes();
  console.log(`dashboard bundle: ${(bundle.totalGzipBytes / 1024).toFixed(1)} KB gzipped in all, ${(bundle.initialGzipBytes / 1024).toFixed(1)} KB on the first load (budget ${BUNDLE_BUDGET_BYTES / 1024} KB)`);
  if (!HAVE_CHROMIUM) {
    console.error('bench/dashboard: /usr/bin/chromium not found (apt-get install chromium): the first-rows time cannot be measured.');
    process.exitCode = 1;
    return;
  }

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'modelplane-bench-dashboard-'));
  const server = await startServer({ database: `sqlite://${path.join(tmp, 'modelplane.db')}`, artifactStore: path.join(tmp, 'artifacts'), auth: false, port: 0, closeGraceMs: 2000 });
  const cold: number[] = [];
  const warm: number[] = [];
  let seedSec = 0;
  try {
    await api(server.url, null, 'POST', '/models', { name: 'big_model', license: 'MIT', description: `${VERSIONS} versions` });
    seedSec = bulkInsertVersions(path.join(tmp, 'modelplane.db'), 'big_model', VERSIONS).sec;
    const v = await api<{ id: string }>(server.url, null, 'GET', '/models/big_model/versions/9000');
    await api(server.url, null, 'PATCH', `/model_versions/${v.id}`, { stage: 'production', reason: 'bench' });
    for (let round = 0; round < ROUNDS; round++) {
      const browser = await launchBrowser();
      try {
        const r = await measureFirstRows(browser.context, `${server.url}/models/big_model`);
        cold.push(r.coldMs);
        warm.push(r.warmMs);
        console.log(`  round ${round + 1}: first row after ${r.coldMs} ms (cold), ${r.warmMs} ms (warm)`);
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }

  const firstRows = { coldMedianMs: median(cold), coldMaxMs: Math.max(...cold), warmMedianMs: median(warm), coldMs: cold, warmMs: warm };
  const pass = { firstRows: firstRows.coldMaxMs < FIRST_ROWS_BUDGET_MS, bundle: bundle.totalGzipBytes < BUNDLE_BUDGET_BYTES };
  const report = {
    bench: 'dashboard',
    description: `first version row of a model page with ${VERSIONS} versions in headless Chromium (from navigation start), and the gzipped size of the production bundle`,
    machine: machineInfo(loadAverageAtStart),
    date: new Date().toISOString(),
    durationSec: Math.round((performance.now() - started) / 100) / 10,
    config: { versions: VERSIONS, rounds: ROUNDS, browser: '/usr/bin/chromium (headless, playwright-core)', server: 'startServer, auth off, SQLite + local folder', seedSec: Math.round(seedSec * 100) / 100 },
    budgets: { firstRowsMs: FIRST_ROWS_BUDGET_MS, bundleGzipBytes: BUNDLE_BUDGET_BYTES },
    results: { firstRows, bundle },
    pass,
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
  console.log(`first rows at ${VERSIONS} versions: median ${firstRows.coldMedianMs} ms cold (max ${firstRows.coldMaxMs} ms), ${firstRows.warmMedianMs} ms warm — budget ${FIRST_ROWS_BUDGET_MS} ms: ${pass.firstRows ? 'ok' : 'MISSED'}`);
  console.log(`bundle: ${(bundle.totalGzipBytes / 1024).toFixed(1)} KB gzipped — budget ${BUNDLE_BUDGET_BYTES / 1024} KB: ${pass.bundle ? 'ok' : 'MISSED'}`);
  console.log(`wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  if (!pass.firstRows || !pass.bundle) process.exitCode = 1;
}

await main();
