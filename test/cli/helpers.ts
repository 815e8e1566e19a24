/**
 * Helpers of the CLI suite: the real built binary (`node dist/cli/main.js`), spawned against a
 * temporary MODELPLANE_HOME, with or without a pseudo-terminal.
 *
 * The binary is rebuilt (`npm run build`: tsc, then the esbuild bundle) when it is missing or older than
 * any file of src/ or package.json — once, even when several test files start at the same time.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'dist', 'cli', 'main.js');
const LOCK = path.join(REPO, 'dist', '.cli-test-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const built = statSync(BIN, { throwIfNoEntry: false });
  if (!built) return true;
  const newest = Math.max(newestSource(path.join(REPO, 'src')), statSync(path.join(REPO, 'package.json')).mtimeMs);
  return built.mtimeMs < newest;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/ when it is older than src/ (one builder at a time across test files). */
export function ensureBuilt(): void {
  if (!isStale()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than 5 minutes is left over from a killed run.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for ${LOCK}`);
      sleep(200);
    }
  }
  try {
    if (isStale()) {
      try {
        execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'pipe' });
      } catch (error) {
        const e = error as { stdout?: Buffer; stderr?: Buffer };
        throw new Error(`npm run build failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
      }
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** A fresh folder for MODELPLANE_HOME (and downloads). */
export function tempHome(prefix = 'modelplane-cli-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The environment of the spawned CLI: the test's, minus anything that would change its behaviour. */
function childEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('MODELPLANE_') || key === 'NO_COLOR' || key === 'FORCE_COLOR' || key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete env[key];
  }
  Object.assign(env, { MODELPLANE_HOME: home, MODELPLANE_ACTOR: 'cli-tester', TERM: 'xterm-256color' }, extra);
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `modelplane ARGS` with pipes for stdin/stdout/stderr (so: no terminal anywhere). */
export function cli(args: readonly string[], options: { home: string; env?: Record<string, string | undefined>; input?: string; cwd?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(options.home, options.env), cwd: options.cwd ?? REPO, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Parses the JSON the CLI printed, failing with the CLI's output when it is not JSON. */
export function json<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** Whether `script` (util-linux) is there to give the CLI a pseudo-terminal. */
export const HAVE_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `modelplane ARGS` on a pseudo-terminal (stdin, stdout and stderr are all the terminal), typing
 * `input`. The output is everything the terminal showed (stdout and stderr mixed, CRLF line ends).
 */
export function cliOnTty(args: readonly string[], options: { home: string; env?: Record<string, string | undefined>; input?: string }): Promise<{ code: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: childEnv(options.home, options.env), cwd: REPO, stdio: 'pipe' });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    if (options.input !== undefined) child.stdin.write(options.input);
    // Keep stdin open until the CLI exits: closing it early would hang up the terminal.
    child.on('exit', () => child.stdin.end());
  });
}

/** True when `text` contains ANSI colour codes. */
export function hasAnsi(text: string): boolean {
  return /\u001b\[[0-9;]*m/.test(text);
}

/** `text` without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
