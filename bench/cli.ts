/**
 * CLI start-up benchmark: wall time of `modelplane --version` and of `modelplane model list` on an empty
 * store, against the floor `node -e ""` measured in the same run. Budget: each at most 4× the floor.
 *
 * Run alone:  npx tsx bench/cli.ts          (also run by `npm run bench`)
 * Writes:     bench/results/cli.json         and prints a summary.
 *
 * The binary measured is the one users get, `node dist/cli/main.js` (built first when dist/ is older
 * than src/). Each round runs the three commands once, in a rotating order, as fresh processes;
 * results are medians over rounds, and the ratio is the median of the per-round ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './support/machine-info.js';
// The CLI suite's build check: dist/ is rebuilt when older than src/ (one builder at a time).
import { BIN, ensureBuilt } from '../test/cli/helpers.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const BENCH_DIR = path.dirname(THIS_FILE);
const REPO_ROOT = path.dirname(BENCH_DIR);
const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'cli.json');

// ── knobs ────────────────────────────────────────────────────────────────────────────────────
const ROUNDS = 15;
const WARMUP_ROUNDS = 2;
const BUDGET_RATIO_MAX = 4;

// ── helpers ──────────────────────────────────────────────────────────────────────────────────
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const round = (x: number, d = 3) => Number(x.toFixed(d));

interface Subject {
  name: 'node' | 'version' | 'modelList';
  label: string;
  args: string[];
  expect: (stdout: string) => boolean;
}

/** Runs one subject as a fresh process; returns its wall time in ms. */
function timeOnce(subject: Subject, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, subject.args, { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 || !subject.expect(r.stdout)) {
    throw new Error(`${subject.label} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return ms;
}

// ── driver ───────────────────────────────────────────────────────────────────────────────────
export async function runCliBench(): Promise<{ allPass: boolean }> {
  const started = performance.now();
  ensureBuilt();
  const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const home = mkdtempSync(path.join(os.tmpdir(), 'modelplane-cli-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, MODELPLANE_HOME: home, NO_COLOR: '1' };
  for (const key of ['MODELPLANE_URL', 'MODELPLANE_DATABASE_URL', 'MODELPLANE_ARTIFACTS', 'NODE_OPTIONS']) delete env[key];
  const subjects: Subject[] = [
    { name: 'node', label: 'node -e ""', args: ['-e', ''], expect: () => true },
    { name: 'version', label: 'modelplane --version', args: [BIN, '--version'], expect: (out) => out.trim() === version },
    { name: 'modelList', label: 'modelplane model list (empty store)', args: [BIN, 'model', 'list'], expect: (out) => out === 'No models found.\n' },
  ];
  const times: Record<Subject['name'], number[]> = { node: [], version: [], modelList: [] };
  const perRound: Array<Record<Subject['name'], number> & { versionRatio: number; modelListRatio: number }> = [];
  try {
    // The first `model list` creates and migrates the store: that is set-up, not start-up.
    timeOnce(subjects[2]!, env);
    console.log(`cli bench: ${WARMUP_ROUNDS} warm-up rounds, then ${ROUNDS} rounds of ${subjects.map((s) => s.label).join(' / ')}`);
    for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
      const order = subjects.map((_, i) => subjects[(i + r) % subjects.length]!);
      const t = {} as Record<Subject['name'], number>;
      for (const s of order) t[s.name] = timeOnce(s, env);
      if (r < WARMUP_ROUNDS) continue;
      for (const s of subjects) times[s.name].push(t[s.name]);
      perRound.push({ ...t, versionRatio: t.version / t.node, modelListRatio: t.modelList / t.node });
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }

  const entry = (name: 'version' | 'modelList') => {
    const ratio = round(median(perRound.map((p) => p[`${name}Ratio`])), 2);
    return {
      command: subjects.find((s) => s.name === name)!.label,
      medianMs: round(median(times[name]), 1),
      floorMedianMs: round(median(times.node), 1),
      ratio,
      ratioOfMedians: round(median(times[name]) / median(times.node), 2),
      budget: { max: BUDGET_RATIO_MAX },
      pass: ratio <= BUDGET_RATIO_MAX,
    };
  };
  const results = {
    floor: { command: 'node -e ""', medianMs: round(median(times.node), 1) },
    version: entry('version'),
    modelList: entry('modelList'),
    perRound: perRound.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, round(v, k.endsWith('Ratio') ? 2 : 1)]))),
  };
  const checks: Array<[string, boolean]> = [
    ['version', results.version.pass],
    ['modelList', results.modelList.pass],
  ];
  const failed = checks.filter(([, p]) => !p).map(([n]) => n);
  const report = {
    bench: 'cli',
    description: 'wall time of `modelplane --version` and `modelplane model list` (empty embedded store) vs `node -e ""`, fresh processes, measured in the same run',
    machine: machineInfo(),
    date: new Date().toISOString(),
    durationSec: 0,
    config: { rounds: ROUNDS, warmupRounds: WARMUP_ROUNDS, binary: path.relative(REPO_ROOT, BIN), env: { NO_COLOR: '1', MODELPLANE_HOME: '(temporary, empty store)' } },
    method:
      'Each round spawns the floor and both commands once (order rotated every round) and waits for each to exit; wall time from spawn to exit. ' +
      'ratio = median over rounds of command/floor; ratioOfMedians is given for reference. The store is created and migrated by one untimed run first.',
    results,
    summary: { allPass: failed.length === 0, checks: Object.fromEntries(checks), failed },
  };
  report.durationSec = round((performance.now() - started) / 1000, 1);
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');

  const ok = (p: boolean) => (p ? 'PASS' : 'FAIL');
  console.log(`\ncli bench — ${report.machine.cpus} cpus, node ${report.machine.node}, load avg at start ${report.machine.loadAverageAtStart.join(' ')}, ${report.durationSec}s\n`);
  console.log(`${'command'.padEnd(40)}${'median ms'.padStart(10)}${'ratio'.padStart(8)}  budget`);
  console.log(`${results.floor.command.padEnd(40)}${String(results.floor.medianMs).padStart(10)}${'1.00'.padStart(8)}`);
  for (const e of [results.version, results.modelList]) {
    console.log(`${e.command.padEnd(40)}${String(e.medianMs).padStart(10)}${e.ratio.toFixed(2).padStart(8)}  ≤ ${BUDGET_RATIO_MAX}  ${ok(e.pass)}`);
  }
  console.log(`\n${report.summary.allPass ? 'all budgets pass' : `FAILED: ${failed.join(', ')}`} — ${path.relative(process.cwd(), RESULTS_FILE)}`);
  return { allPass: failed.length === 0 };
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === THIS_FILE;
if (invokedDirectly) {
  const { allPass } = await runCliBench();
  process.exitCode = allPass ? 0 : 1;
}
