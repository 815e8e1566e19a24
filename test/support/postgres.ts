/**
 * Throwaway services for test suites (DESIGN.md §6): a PostgreSQL cluster or a Redis server of our
 * own, on a free loopback port, in a fresh temp folder that is removed afterwards. Nothing is mocked.
 *
 * Usage — start at module level so that a missing service can skip the suite, stop in afterAll so the
 * service goes away even when tests fail:
 *
 *   const postgres = await startPostgres();        // null → binaries missing (skip); throws under CI
 *   afterAll(async () => { await postgres?.stop(); });
 *   describe.skipIf(!postgres)('store on PostgreSQL', () => { … postgres!.url … });
 *
 * Missing binaries: outside CI the functions return null and print (once per test run) which Debian
 * package to install; under `CI=true` (or `CI=1`) they throw, so the run fails instead of silently
 * skipping. Every start failure other than a missing binary throws, with the server's log attached.
 * `stop()` is idempotent. As a safety net, services still running when the test process exits are
 * killed and their folders removed (this does not replace afterAll: a worker killed by a signal skips it).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A running throwaway service. */
export interface ServiceHandle {
  /** Connection URL: `postgres://postgres@127.0.0.1:PORT/DB` or `redis://127.0.0.1:PORT`. */
  url: string;
  /** The loopback port it listens on. */
  port: number;
  /** Its temp folder (data, socket, log); removed by `stop()`. */
  dir: string;
  /** Stops the service (immediately, no clean shutdown) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** A fresh temp folder. */
export interface TempDir {
  path: string;
  /** Removes the folder and everything in it. Safe to call twice. */
  remove(): Promise<void>;
}

/** The database `startPostgres` creates (the cluster also has the usual `postgres` database). */
export const TEST_DATABASE = 'modelplane_test';

const START_TIMEOUT_MS = 90_000;
const PORT_ATTEMPTS = 5;

/** True under CI, where a missing service must fail the run rather than skip. */
export function isCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** A TCP port on 127.0.0.1 that was free a moment ago (another process may still take it: retry on EADDRINUSE). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error(`Unexpected server address ${String(address)}`));
      });
    });
  });
}

/** Creates a fresh folder under the OS temp folder, named `<prefix>XXXXXX`. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  return tempDirIn(os.tmpdir(), prefix);
}

async function tempDirIn(base: string, prefix: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(base, prefix));
  return {
    path: dir,
    remove: () => rm(dir, { recursive: true, force: true, maxRetries: 3 }),
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * Starts a throwaway PostgreSQL cluster (initdb + pg_ctl, trust auth, fsync off) on a free loopback
 * port, creates the database {@link TEST_DATABASE} and returns its URL. Returns null when the
 * PostgreSQL server binaries are missing (throws under CI). As root, the server runs as the `postgres`
 * OS user through `runuser` (PostgreSQL refuses to run as root); under CI that user is created when absent.
 */
export async function startPostgres(): Promise<ServiceHandle | null> {
  const bin = findPostgresBin();
  if (!bin) {
    return unavailable(
      'postgresql',
      'PostgreSQL is required under CI: apt-get install postgresql (initdb/pg_ctl not found in /usr/lib/postgresql/*/bin or PATH).',
      'skipping PostgreSQL suites: install the Debian package postgresql (initdb/pg_ctl not found in /usr/lib/postgresql/*/bin or PATH).',
    );
  }
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    owner = await ensurePostgresUser();
    if (!owner) {
      return unavailable(
        'postgresql',
        "PostgreSQL cannot run as root and the 'postgres' OS user is missing.",
        "skipping PostgreSQL suites: running as root and there is no 'postgres' OS user to run the server as (install the Debian package postgresql, which creates it).",
      );
    }
  }
  const command = (exe: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, exe), ...args]] : [path.join(bin, exe), args];

  // As root the folder must be reachable by the postgres user; fall back to /tmp if TMPDIR is private.
  const base = asRoot && !worldTraversable(os.tmpdir()) ? '/tmp' : os.tmpdir();
  const tmp = await tempDirIn(base, 'modelplane-pg-');
  if (owner) await chown(tmp.path, owner.uid, owner.gid);
  const dataDir = path.join(tmp.path, 'data');
  const logFile = path.join(tmp.path, 'postgres.log');
  const opts = { cwd: tmp.path, timeoutMs: START_TIMEOUT_MS };

  let stopped = false;
  const live: LiveService = {
    // Last resort (process exiting or killed): SIGQUIT is PostgreSQL's immediate shutdown.
    stopSync: () => {
      const pid = postmasterPid(dataDir);
      if (pid) {
        signal(pid, 'SIGQUIT');
        waitUntilGoneSync(pid, 400);
      }
      rmSync(tmp.path, { recursive: true, force: true });
    },
  };
  track(live);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
        await run(...command('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '20']), { cwd: tmp.path, timeoutMs: 30_000 }).catch(
          (error: unknown) => {
            // pg_ctl failed: SIGQUIT is PostgreSQL's immediate shutdown; its children follow the postmaster.
            const pid = postmasterPid(dataDir);
            if (pid) signal(pid, 'SIGQUIT');
            throw error;
          },
        );
      }
    } finally {
      untrack(live);
      await tmp.remove();
    }
  };

  try {
    await run(
      ...command('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']),
      opts,
    );
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      // pg_ctl hands -o to the server through a shell: quote the socket folder.
      const serverOptions = `-p ${port} -k '${tmp.path}' -c listen_addresses=127.0.0.1 -c fsync=off`;
      try {
        await run(...command('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', serverOptions]), opts);
      } catch (error) {
        const log = await tail(logFile);
        if (attempt < PORT_ATTEMPTS && /could not bind|address already in use|could not create any TCP\/IP sockets/i.test(log)) {
          continue; // someone took the port between freePort() and the bind
        }
        throw withLog(error, 'pg_ctl start', log);
      }
      await createDatabase(port, TEST_DATABASE);
      return { url: `postgres://postgres@127.0.0.1:${port}/${TEST_DATABASE}`, port, dir: tmp.path, stop };
    }
  } catch (error) {
    const log = await tail(logFile);
    await stop().catch(() => {});
    if (error instanceof Error && error.message.includes('\n--- log ---\n')) throw error;
    throw withLog(error, 'PostgreSQL start', log);
  }
}

/** The bin folder of the newest PostgreSQL under /usr/lib/postgresql, else the one on PATH, else null. */
function findPostgresBin(): string | null {
  const hasServer = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((exe) => existsSync(path.join(dir, exe)));
  const root = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    // not installed from Debian packages
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (hasServer(dir)) return dir;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && hasServer(dir)) return dir;
  }
  return null;
}

/** The postmaster's pid from its pid file, or null. */
function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** uid/gid of the `postgres` OS user, creating the user under CI if needed; null outside CI when absent. */
async function ensurePostgresUser(): Promise<{ uid: number; gid: number } | null> {
  const lookup = async () => {
    try {
      const uid = Number((await run('id', ['-u', 'postgres'])).trim());
      const gid = Number((await run('id', ['-g', 'postgres'])).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = await lookup();
  if (found || !isCI()) return found;
  await run('useradd', ['--system', '--no-create-home', 'postgres']);
  const created = await lookup();
  if (!created) throw new Error("Could not create the 'postgres' OS user needed to run PostgreSQL as root.");
  return created;
}

/** True when every folder from `dir` up to / can be traversed by other users. */
function worldTraversable(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (d === path.dirname(d)) return true;
  }
}

async function createDatabase(port: number, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    client.on('error', () => {}); // errors surface through the awaited calls
    try {
      await client.connect();
      await client.query(`CREATE DATABASE "${name}"`);
      return;
    } catch (error) {
      // pg_ctl -w already waited for readiness; keep retrying briefly in case the TCP listener lags.
      const code = (error as { code?: string }).code;
      if (Date.now() > deadline || !(code === 'ECONNREFUSED' || code === '57P03')) throw error;
      await sleep(100);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Redis

/**
 * Starts a throwaway `redis-server` (no persistence) on a free loopback port and waits until it answers
 * PING. Returns null when redis-server is missing (throws under CI).
 */
export async function startRedis(): Promise<ServiceHandle | null> {
  const bin = findOnPath('redis-server', ['/usr/bin', '/usr/sbin', '/usr/local/bin']);
  if (!bin) {
    return unavailable(
      'redis',
      'Redis is required under CI: apt-get install redis-server (redis-server not found on PATH).',
      'skipping Redis suites: install the Debian package redis-server (redis-server not found on PATH).',
    );
  }
  const tmp = await makeTempDir('modelplane-redis-');
  const logFile = path.join(tmp.path, 'redis.log');
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = spawn(
        bin,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', tmp.path, '--logfile', logFile],
        { cwd: tmp.path, stdio: 'ignore' },
      );
      child.unref(); // never keep a test process alive; the exit hook below kills forgotten servers
      let dead = false;
      const exited = new Promise<void>((resolve) => {
        const gone = () => {
          dead = true;
          resolve();
        };
        child.once('exit', gone);
        child.once('error', gone); // failed to spawn: there will be no 'exit'
      });
      const live: LiveService = {
        stopSync: () => {
          if (!dead) child.kill('SIGKILL');
          rmSync(tmp.path, { recursive: true, force: true });
        },
      };
      track(live);
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        try {
          await killAndWait(child, exited, () => dead);
        } finally {
          untrack(live);
          await tmp.remove();
        }
      };
      const ready = await waitForPong(port, () => dead, START_TIMEOUT_MS);
      if (ready) return { url: `redis://127.0.0.1:${port}`, port, dir: tmp.path, stop };
      const log = await tail(logFile);
      await killAndWait(child, exited, () => dead);
      untrack(live);
      if (attempt < PORT_ATTEMPTS && /address already in use/i.test(log)) continue;
      throw withLog(new Error(`redis-server did not answer PING on 127.0.0.1:${port}`), 'redis-server', log);
    }
  } catch (error) {
    await tmp.remove();
    throw error;
  }
}

/** Polls with a raw `PING` until `+PONG`; false if the server exits or the time runs out. */
async function waitForPong(port: number, isDead: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) return false;
    if (await ping(port)) return true;
    await sleep(50);
  }
  return false;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

async function killAndWait(child: ChildProcess, exited: Promise<void>, isDead: () => boolean): Promise<void> {
  if (isDead()) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared plumbing

interface LiveService {
  /** Synchronous last-resort cleanup, run when the process exits or is killed with services still running. */
  stopSync(): void;
}

/*
 * Safety net. Vitest ends its fork workers with SIGTERM (SIGKILL 500 ms later), which skips 'exit'
 * handlers; so while services run we also listen for SIGTERM/SIGINT/SIGHUP, clean up synchronously and
 * re-raise the signal (unless someone else handles it), keeping the default behaviour otherwise.
 */
const liveServices = new Set<LiveService>();
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

function track(service: LiveService): void {
  if (liveServices.size === 0) {
    process.on('exit', stopAllSync);
    for (const sig of SIGNALS) process.on(sig, onSignal);
  }
  liveServices.add(service);
}

function untrack(service: LiveService): void {
  if (!liveServices.delete(service) || liveServices.size > 0) return;
  process.off('exit', stopAllSync);
  for (const sig of SIGNALS) process.off(sig, onSignal);
}

function stopAllSync(): void {
  for (const service of [...liveServices]) {
    try {
      service.stopSync();
    } catch {
      // best effort while exiting
    }
    untrack(service);
  }
}

function onSignal(sig: NodeJS.Signals): void {
  stopAllSync(); // also removes our listeners
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Blocks until `pid` is gone or `timeoutMs` passed (only used while exiting). */
function waitUntilGoneSync(pid: number, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    Atomics.wait(cell, 0, 0, 20);
  }
}

/** Missing binary: throw under CI, otherwise print the skip notice (once per test run) and return null. */
function unavailable(service: string, ciMessage: string, skipMessage: string): null {
  if (isCI()) throw new Error(ciMessage);
  // Test files run in separate processes whose parent is the Vitest main process: a marker file keyed
  // by that pid lets only the first one print. The summary reporter removes the markers at the end.
  const marker = path.join(os.tmpdir(), `${SKIP_MARKER_PREFIX}${service}-${process.ppid}`);
  try {
    writeFileSync(marker, '', { flag: 'wx' });
  } catch {
    return null; // already printed during this run
  }
  console.warn(skipMessage);
  return null;
}
/** File name prefix of the skip-notice markers in os.tmpdir() (see the summary reporter). */
export const SKIP_MARKER_PREFIX = 'modelplane-test-skip-';

function findOnPath(exe: string, extraDirs: string[]): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Runs a command to completion; rejects with its stderr/stdout in the message. Resolves with stdout. */
function run(file: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const output = `${stderr}\n${stdout}`.trim();
          reject(new Error(`${file} ${args.join(' ')} failed (${error.message.split('\n')[0]})${output ? `:\n${output}` : ''}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

async function tail(file: string, bytes = 4_000): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.length > bytes ? `…${text.slice(-bytes)}` : text;
  } catch {
    return '';
  }
}

function withLog(error: unknown, what: string, log: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${what} failed: ${message}${log ? `\n--- log ---\n${log.trim()}` : ''}`, { cause: error });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
