/**
 * A process killed (SIGKILL) while saving a large artifact through the SDK must leave the registry as
 * if it had never started (DESIGN.md §1: bytes are committed under a temporary name and published
 * only when complete, and the record is written after the bytes): no artifact version, no blob under
 * `artifacts/sha256/`, only a temp file under `artifacts/.tmp/` — which the next process to open the
 * artifact store removes, since its writer is dead.
 *
 * Runs on embedded SQLite (a temp MODELPLANE home) and on embedded PostgreSQL (a throwaway cluster,
 * skipped when PostgreSQL is not installed, failing under CI); the artifact side is the same local
 * folder in both cases.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, EmbeddedBackend } from '../../src/index.js';
import { makeTempDir, startPostgres, type TempDir } from '../support/postgres.js';
import type { CrashChildConfig } from './artifact-writer-child.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CHILD = path.join(ROOT, 'test', 'crash', 'artifact-writer-child.ts');

const MEGABYTES = 200;
const MiB = 1024 * 1024;
/** With 200 chunks this makes the whole write last over a second: ample time to kill it mid-way. */
const PAUSE_MS = 5;

const postgres = await startPostgres();
afterAll(async () => {
  await postgres?.stop();
});

/** Every file (not folder) below `dir`, as paths relative to it; [] when `dir` does not exist. */
async function filesBelow(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => !e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Waits until `pid` is gone (reaped), so that the artifact store's "is the writer dead?" check says yes. */
async function waitUntilGone(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      let state = '?';
      try {
        state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] ?? '?';
      } catch {
        // no /proc
      }
      throw new Error(`killed writer ${pid} still exists after ${timeoutMs} ms (state ${state}; Z = zombie nobody reaped)`);
    }
    await sleep(20);
  }
}

/** Runs the child until it reports it is writing, then SIGKILLs its whole process group. */
async function killMidWrite(config: CrashChildConfig): Promise<{ writerPid: number; stdout: string }> {
  // tsx runs the script in a grandchild node process: give them a process group of their own and kill that.
  const child = spawn(TSX, [CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  try {
    const writerPid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the writer did not start writing within 45 s:\n${stdout}\n${stderr}`)), 45_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const line = stdout.split('\n').find((l) => l.includes('"type":"writing"'));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { pid: number }).pid);
        }
      });
      void closed.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the writer exited (${signal ?? code}) before writing:\n${stdout}\n${stderr}`));
      });
    });
    process.kill(-child.pid!, 'SIGKILL');
    const { signal } = await closed;
    expect(signal).toBe('SIGKILL');
    await waitUntilGone(writerPid);
    return { writerPid, stdout };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

interface BackendCase {
  name: string;
  available: boolean;
  open(scratch: TempDir): CrashChildConfig['store'];
}

const backends: BackendCase[] = [
  { name: 'embedded SQLite', available: true, open: (scratch) => ({ home: path.join(scratch.path, 'home') }) },
  {
    name: 'embedded PostgreSQL',
    available: postgres !== null,
    open: (scratch) => ({ database: postgres!.url, artifacts: path.join(scratch.path, 'home', 'artifacts') }),
  },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`SIGKILL while saving a ${MEGABYTES} MB artifact — ${backend.name}`, () => {
    it('leaves no record and no visible blob; the next open of the store removes the partial file', async () => {
      const scratch = await makeTempDir('modelplane-crash-');
      try {
        const store = backend.open(scratch);
        const artifacts = path.join(scratch.path, 'home', 'artifacts');
        const blobs = path.join(artifacts, 'sha256');
        const temps = path.join(artifacts, '.tmp');

        const { writerPid, stdout } = await killMidWrite({ store, megabytes: MEGABYTES, pauseMs: PAUSE_MS });
        expect(stdout).not.toContain('"type":"saved"');

        // Nothing was published: no blob, visible or partial, under its content address…
        expect(await filesBelow(blobs)).toEqual([]);
        // …only the dead writer's temp file, cut off mid-way.
        const leftovers = await filesBelow(temps);
        expect(leftovers).toHaveLength(1);
        expect(leftovers[0]).toMatch(new RegExp(`^${writerPid}-[0-9a-f]+$`));
        const size = (await fs.stat(path.join(temps, leftovers[0]!))).size;
        expect(size).toBeGreaterThanOrEqual(4 * MiB);
        expect(size).toBeLessThan(MEGABYTES * MiB);
        console.info(`[${backend.name}] killed writer ${writerPid} after ${(size / MiB).toFixed(0)} of ${MEGABYTES} MB`);

        const client = new Client({ ...store, actor: 'crash-test' });
        try {
          // The first call opens the artifact store, which removes temp files of dead writers.
          const page = await client.listArtifactVersions({ name: 'big' });
          expect(page.total).toBe(0);
          expect(page.items).toEqual([]);
          expect(await filesBelow(temps)).toEqual([]);

          const backendInstance = await client.backend();
          expect(backendInstance).toBeInstanceOf(EmbeddedBackend);
          const db = (backendInstance as EmbeddedBackend).store.db;
          for (const table of ['artifacts', 'artifact_versions'] as const) {
            const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
            expect(Number(row.n), `rows in ${table}`).toBe(0);
          }
          expect(await backendInstance.checkIntegrity()).toEqual([]);

          // The store is not wedged: the same name saves and loads as version 1.
          const av = await client.saveArtifact('big', new Uint8Array([7, 7, 7]));
          expect(av.version).toBe(1);
          expect(await client.loadArtifact('big')).toEqual(new Uint8Array([7, 7, 7]));
          expect(await filesBelow(blobs)).toHaveLength(1);
          expect(await filesBelow(temps)).toEqual([]);
        } finally {
          await client.close();
        }
      } finally {
        await scratch.remove();
      }
    });
  });
}
