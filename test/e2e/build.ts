/**
 * Makes sure the build the browser suite needs is there and fresh: `dist/` (the package root the iris
 * example imports, and the CLI) and `dist/dashboard/` (what the server serves at `/`). Rebuilds with
 * `npm run build` when either is missing or older than its sources — one builder at a time, sharing the
 * CLI suite's lock.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built dashboard folder. */
export const DASHBOARD_DIST = path.join(REPO, 'dist', 'dashboard');
const LOCK = path.join(REPO, 'dist', '.cli-test-build.lock');

function newest(target: string, accept: (name: string) => boolean): number {
  const st = statSync(target, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return accept(target) ? st.mtimeMs : 0;
  let max = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    max = Math.max(max, newest(path.join(target, entry.name), accept));
  }
  return max;
}

const mtime = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sourceFile = (f: string) => /\.(ts|tsx|css|html|json)$/.test(f) && !/\.test\.tsx?$/.test(f);

/** What is out of date: the package build (`dist/index.js` vs src/), the dashboard, or nothing. */
export function staleParts(): { packageBuild: boolean; dashboard: boolean } {
  const pkg = mtime(path.join(REPO, 'package.json'));
  const packageBuild = mtime(path.join(REPO, 'dist', 'index.js')) < Math.max(newest(path.join(REPO, 'src'), sourceFile), pkg) ||
    mtime(path.join(REPO, 'dist', 'cli', 'main.js')) < newest(path.join(REPO, 'src'), sourceFile);
  const dashboardSources = Math.max(newest(path.join(REPO, 'dashboard'), sourceFile), newest(path.join(REPO, 'src', 'domain'), sourceFile));
  const dashboard = mtime(path.join(DASHBOARD_DIST, 'index.html')) < dashboardSources;
  return { packageBuild, dashboard };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function run(script: string): void {
  try {
    execFileSync('npm', ['run', script], { cwd: REPO, stdio: 'pipe' });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run ${script} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

/** Builds what is stale (the whole package with `npm run build`, or only the dashboard). */
export function ensureDashboardBuilt(): void {
  const first = staleParts();
  if (!first.packageBuild && !first.dashboard) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for ${LOCK}`);
      sleep(200);
    }
  }
  try {
    const now = staleParts();
    if (now.packageBuild) run('build');
    else if (now.dashboard) run('build:dashboard');
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
