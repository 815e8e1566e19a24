/**
 * Makes sure the build the browser suite needs is there and fresh: `dist/` (the package root the iris
 * example imports) through the CLI suite's `ensureBuilt` (`npm run build`, which also builds the
 * dashboard), and `dist/dashboard/` (what the server serves at `/`), rebuilt alone when only the
 * dashboard's sources changed. The dashboard is built into a temporary folder and renamed into place, so
 * a concurrent builder or reader never sees half a build.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, REPO } from '../cli/helpers.js';

export { REPO };

/** The built dashboard folder. */
export const DASHBOARD_DIST = path.join(REPO, 'dist', 'dashboard');

function newest(target: string): number {
  const st = statSync(target, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return /\.(ts|tsx|css|html|json)$/.test(target) && !/\.test\.tsx?$/.test(target) ? st.mtimeMs : 0;
  let max = 0;
  for (const entry of readdirSync(target)) if (entry !== 'node_modules') max = Math.max(max, newest(path.join(target, entry)));
  return max;
}

/** Whether dist/dashboard is missing or older than dashboard/ or the domain types it imports. */
export function dashboardStale(): boolean {
  const built = statSync(path.join(DASHBOARD_DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return built < Math.max(newest(path.join(REPO, 'dashboard')), newest(path.join(REPO, 'src', 'domain')));
}

/** Builds what is stale: the package (with the dashboard) when src/ changed, else the dashboard alone. */
export function ensureDashboardBuilt(): void {
  ensureBuilt();
  if (!dashboardStale()) return;
  const tmp = path.join(REPO, 'dist', `.dashboard-build-${process.pid}`);
  try {
    execFileSync('npx', ['vite', 'build', '--outDir', tmp, '--emptyOutDir', '--logLevel', 'warn'], { cwd: path.join(REPO, 'dashboard'), stdio: 'pipe' });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`building the dashboard failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
  rmSync(DASHBOARD_DIST, { recursive: true, force: true });
  try {
    renameSync(tmp, DASHBOARD_DIST);
  } catch (error) {
    // Another builder renamed its (equally fresh) build into place first.
    rmSync(tmp, { recursive: true, force: true });
    if (dashboardStale()) throw error;
  }
}
