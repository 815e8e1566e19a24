/**
 * Concurrent writers, for real: 8 OS processes (each `tsx writer-child.ts`, each with its own Client)
 * write to the same embedded store at once — SQLite in a temp MODELPLANE home, and PostgreSQL in a
 * throwaway cluster (skipped when PostgreSQL is not installed, failing under CI). All 8 are started and
 * have their store open before a start barrier (a "go" file) releases them together.
 *
 * What must hold (DESIGN.md §1): version numbers are max+1 with no gaps or duplicates under contention;
 * at most one version holds production — enforced without force by a StageConflictError for all but
 * one racer, and with force by archiving the holder in the same transaction; every transition is in
 * the stage history exactly once; the store passes its integrity check afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type StageTransition } from '../../src/index.js';
import { makeTempDir, startPostgres, type TempDir } from '../support/postgres.js';
import type { CallOutcome, StoreOptions, WriterConfig, WriterResult, WriterTask } from './writer-child.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CHILD = path.join(ROOT, 'test', 'concurrency', 'writer-child.ts');

const WRITERS = 8;
const VERSIONS_PER_WRITER = 25;
const FORCE_ROUNDS = 5;
/** Starting 8 tsx processes on a loaded 2-core machine can take a while; the work itself is quick. */
const READY_TIMEOUT_MS = 45_000;
const WORK_TIMEOUT_MS = 45_000;
/**
 * Known bug (reported, not yet fixed in src/): on SQLite, Kysely's Migrator runs migrations with no
 * transaction and no lock (its SqliteAdapter says `supportsTransactionalDdl: false` and its migration
 * lock is a no-op), so processes opening a fresh store at once may all apply 001_initial and all but
 * one fail with `table "models" already exists`. Flip to true once src/store/sqlite/sqlite-dialect.ts
 * gives Kysely an adapter with `supportsTransactionalDdl = true` (migrations then run under BEGIN IMMEDIATE).
 */
const SQLITE_FRESH_OPEN_RACE_FIXED = true;

const postgres = await startPostgres();
afterAll(async () => {
  await postgres?.stop();
});

interface Writer {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  ready: Promise<void>;
  exit: Promise<number | null>;
  exited: boolean;
}

function startWriter(config: WriterConfig): Writer {
  // Own process group (detached), so that a timeout can kill tsx and the node process it starts.
  const child = spawn(TSX, [CHILD, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const writer: Writer = { child, stdout: '', stderr: '', ready: Promise.resolve(), exit: Promise.resolve(null), exited: false };
  writer.exit = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      writer.exited = true;
      resolve(code);
    });
  });
  writer.ready = new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      writer.stdout += chunk;
      if (writer.stdout.includes('"type":"ready"')) resolve();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (writer.stderr += chunk));
    writer.exit.then(
      (code) => reject(new Error(`writer ${config.actor} exited (${code}) before it was ready:\n${writer.stdout}\n${writer.stderr}`)),
      reject,
    );
  });
  writer.ready.catch(() => undefined); // judged in runWriters
  return writer;
}

function killGroup(writer: Writer): void {
  if (writer.exited || writer.child.pid === undefined) return;
  try {
    process.kill(-writer.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts one process per task, waits until every one has its store open, opens the barrier and
 * returns their results (in task order). Any process that fails outright fails the test.
 */
async function runWriters(store: StoreOptions, scratch: string, model: string, tasks: WriterTask[]): Promise<WriterResult[]> {
  const goFile = path.join(scratch, `go-${randomUUID()}`);
  const writers = tasks.map((task, i) => startWriter({ store, actor: `writer-${i + 1}`, model, goFile, task }));
  try {
    await within(Promise.all(writers.map((w) => w.ready)), READY_TIMEOUT_MS, 'waiting for the writers to open the store');
    await writeFile(goFile, '');
    const codes = await within(Promise.all(writers.map((w) => w.exit)), WORK_TIMEOUT_MS, 'waiting for the writers to finish');
    return writers.map((w, i) => {
      const lines = w.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type: string });
      const result = lines.find((l) => l.type === 'result') as WriterResult | undefined;
      if (codes[i] !== 0 || !result) {
        throw new Error(`writer-${i + 1} failed (exit ${codes[i]}):\n${w.stdout}\n${w.stderr}`);
      }
      return result;
    });
  } finally {
    writers.forEach(killGroup);
  }
}

function successes(results: WriterResult[]): Array<Extract<CallOutcome, { ok: true }> & { actor: string }> {
  return results.flatMap((r) => r.calls.flatMap((c) => (c.ok ? [{ ...c, actor: r.actor }] : [])));
}

function failures(results: WriterResult[]): Array<Extract<CallOutcome, { ok: false }> & { actor: string }> {
  return results.flatMap((r) => r.calls.flatMap((c) => (c.ok ? [] : [{ ...c, actor: r.actor }])));
}

/** Milliseconds during which every writer was working at once (negative: they did not all overlap). */
function commonOverlapMs(results: WriterResult[]): number {
  return Math.min(...results.map((r) => r.endedAt)) - Math.max(...results.map((r) => r.startedAt));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Checks that the production entries form one chain: each forced promotion displaced the previous holder. */
function expectProductionChain(history: StageTransition[]): StageTransition[] {
  const intoProduction = history.filter((t) => t.toStage === 'production');
  intoProduction.forEach((t, i) => {
    if (i === 0) expect(t.displacedVersionId).toBeNull();
    else expect(t.displacedVersionId).toBe(intoProduction[i - 1]!.modelVersionId);
  });
  // Nothing else moves versions in these tests: every transition is into production.
  expect(history.length).toBe(intoProduction.length);
  return intoProduction;
}

interface BackendCase {
  name: string;
  available: boolean;
  /** Whether 8 processes may open a never-opened store at once (see SQLITE_FRESH_OPEN_RACE_FIXED). */
  freshOpenSafe: boolean;
  /** A fresh store (and a scratch folder for barrier files). */
  open(): Promise<{ store: StoreOptions; scratch: TempDir }>;
  /** Another fresh store that nobody has opened yet (its data goes under `scratch` or in its own database). */
  unopened(scratch: string): Promise<StoreOptions>;
}

const backends: BackendCase[] = [
  {
    name: 'embedded SQLite',
    available: true,
    freshOpenSafe: SQLITE_FRESH_OPEN_RACE_FIXED,
    async open() {
      const scratch = await makeTempDir('modelplane-concurrency-');
      return { store: { home: path.join(scratch.path, 'home') }, scratch };
    },
    async unopened(scratch) {
      return { home: path.join(scratch, `fresh-home-${randomUUID()}`) };
    },
  },
  {
    name: 'embedded PostgreSQL',
    available: postgres !== null,
    freshOpenSafe: true,
    async open() {
      const scratch = await makeTempDir('modelplane-concurrency-pg-');
      return { store: { database: postgres!.url, artifacts: path.join(scratch.path, 'artifacts') }, scratch };
    },
    async unopened(scratch) {
      const name = `fresh_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client({ connectionString: postgres!.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const url = new URL(postgres!.url);
      url.pathname = `/${name}`;
      return { database: url.href, artifacts: path.join(scratch, `fresh-artifacts-${name}`) };
    },
  },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`${WRITERS} processes writing at once — ${backend.name}`, () => {
    let store: StoreOptions;
    let scratch: TempDir;
    let client: Client;

    beforeAll(async () => {
      ({ store, scratch } = await backend.open());
      // The parent creates (and migrates) the store first; the writers then open an existing one.
      client = new Client({ ...store, actor: 'test-parent' });
      await client.listModels();
    });

    afterAll(async () => {
      await client?.close();
      await scratch?.remove();
    });

    /** Creates a model with `count` versions (numbers 1..count, stage none). */
    async function modelWithVersions(name: string, count: number): Promise<void> {
      await client.createModel({ name });
      for (let i = 0; i < count; i++) await client.createModelVersion({ model: name });
    }

    async function expectIntegrity(): Promise<void> {
      expect(await (await client.backend()).checkIntegrity()).toEqual([]);
    }

    it(`creates ${WRITERS}×${VERSIONS_PER_WRITER} versions of one model at once: numbers 1..${WRITERS * VERSIONS_PER_WRITER}, no gaps, no duplicates, no errors`, async () => {
      const model = 'concurrent-versions';
      await client.createModel({ name: model });
      const results = await runWriters(
        store,
        scratch.path,
        model,
        range(1, WRITERS).map(() => ({ kind: 'create-versions', count: VERSIONS_PER_WRITER })),
      );
      const total = WRITERS * VERSIONS_PER_WRITER;

      expect(failures(results)).toEqual([]);
      const created = successes(results);
      expect(created).toHaveLength(total);
      expect(created.map((c) => c.number).sort((a, b) => a - b)).toEqual(range(1, total));
      // Each writer saw its own numbers strictly increase.
      for (const r of results) {
        const mine = r.calls.map((c) => (c.ok ? c.number : NaN));
        expect(mine).toEqual([...mine].sort((a, b) => a - b));
      }

      const listed = await client.listModelVersions({ model, size: 1000 });
      expect(listed.total).toBe(total);
      expect(listed.items.map((v) => v.number)).toEqual(range(1, total));
      expect(listed.items.map((v) => v.name)).toEqual(range(1, total).map(String));
      // What each writer was told is what was stored.
      const byId = new Map(listed.items.map((v) => [v.id, v.number]));
      for (const c of created) expect(byId.get(c.id)).toBe(c.number);
      expect((await client.getModel(model)).latestVersion).toBe(total);
      await expectIntegrity();

      const interleaved = results.filter((r) => {
        const mine = r.calls.map((c) => (c.ok ? c.number : 0));
        return mine[mine.length - 1]! - mine[0]! + 1 !== mine.length;
      }).length;
      console.info(
        `[${backend.name}] versions: all ${WRITERS} writers overlapped for ${commonOverlapMs(results)} ms; ` +
          `${interleaved}/${WRITERS} got non-contiguous numbers`,
      );
      // The barrier worked: no writer ran alone, each one's work overlapped another's.
      for (const r of results) {
        const overlapsAnother = results.some((o) => o !== r && o.startedAt < r.endedAt && r.startedAt < o.endedAt);
        expect(overlapsAnother, `${r.actor} ran alone`).toBe(true);
      }
    });

    it(`lets exactly one of ${WRITERS} racing processes take production without force; the others get StageConflictError`, async () => {
      const model = 'race-production';
      await modelWithVersions(model, WRITERS);
      const results = await runWriters(
        store,
        scratch.path,
        model,
        range(1, WRITERS).map((n) => ({ kind: 'promote', version: n, force: false, rounds: 1, reasonPrefix: `writer-${n}` })),
      );

      const won = successes(results);
      const lost = failures(results);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(WRITERS - 1);
      const winner = won[0]!;
      expect(winner.stage).toBe('production');
      for (const l of lost) {
        expect(l.code).toBe('stage_conflict');
        expect(l.isStageConflictError).toBe(true);
        // The error names the holder: the winner.
        expect(l.details).toMatchObject({ stage: 'production', holderNumber: winner.number });
      }

      const holders = await client.listModelVersions({ model, stage: 'production' });
      expect(holders.items.map((v) => v.number)).toEqual([winner.number]);
      const others = await client.listModelVersions({ model, stage: 'none' });
      expect(others.total).toBe(WRITERS - 1);

      const history = await client.getStageHistory(model);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({
        modelVersionId: winner.id,
        fromStage: 'none',
        toStage: 'production',
        displacedVersionId: null,
        actor: winner.actor,
        reason: winner.reason,
      });
      await expectIntegrity();
    });

    it(`with force, ${WRITERS} racing promotions all succeed and leave one holder and one history entry each`, async () => {
      const model = 'race-production-force';
      await modelWithVersions(model, WRITERS);
      const results = await runWriters(
        store,
        scratch.path,
        model,
        range(1, WRITERS).map((n) => ({ kind: 'promote', version: n, force: true, rounds: 1, reasonPrefix: `writer-${n}` })),
      );

      expect(failures(results)).toEqual([]);
      const calls = successes(results);
      expect(calls).toHaveLength(WRITERS);
      for (const c of calls) expect(c.stage).toBe('production');

      const history = await client.getStageHistory(model);
      const chain = expectProductionChain(history);
      // Each version was promoted once and was never in production before: every call changed the stage.
      expect(chain).toHaveLength(WRITERS);
      expect(new Set(chain.map((t) => t.modelVersionId))).toEqual(new Set(calls.map((c) => c.id)));
      expect(chain.filter((t) => t.displacedVersionId !== null)).toHaveLength(WRITERS - 1);
      for (const t of chain) {
        expect(t.fromStage).toBe('none');
        const call = calls.find((c) => c.id === t.modelVersionId)!;
        expect(t).toMatchObject({ actor: call.actor, reason: call.reason });
      }

      // The last promotion holds production; everyone it displaced on the way is archived.
      const holders = await client.listModelVersions({ model, stage: 'production' });
      expect(holders.items.map((v) => v.id)).toEqual([chain[chain.length - 1]!.modelVersionId]);
      expect((await client.listModelVersions({ model, stage: 'archived' })).total).toBe(WRITERS - 1);
      await expectIntegrity();
    });

    it(`with force over ${FORCE_ROUNDS} alternating rounds, records exactly the calls that changed the stage`, async () => {
      const model = 'race-production-rounds';
      await modelWithVersions(model, WRITERS);
      const results = await runWriters(
        store,
        scratch.path,
        model,
        range(1, WRITERS).map((n) => ({ kind: 'promote', version: n, force: true, rounds: FORCE_ROUNDS, reasonPrefix: `writer-${n}` })),
      );

      expect(failures(results)).toEqual([]);
      const calls = successes(results);
      expect(calls).toHaveLength(WRITERS * FORCE_ROUNDS);
      for (const c of calls) expect(c.stage).toBe('production');

      const history = await client.getStageHistory(model);
      const chain = expectProductionChain(history);
      // One entry per call that changed the stage, never two: reasons are unique per call.
      const reasons = chain.map((t) => t.reason);
      expect(new Set(reasons).size).toBe(reasons.length);
      const callByReason = new Map(calls.map((c) => [c.reason, c]));
      for (const t of chain) {
        const call = callByReason.get(t.reason ?? '');
        expect(call, `history entry ${t.reason} matches no call`).toBeDefined();
        expect(t).toMatchObject({ modelVersionId: call!.id, actor: call!.actor });
      }
      // A writer's first call always changes the stage (nobody else promotes its version)…
      for (let n = 1; n <= WRITERS; n++) expect(reasons).toContain(`writer-${n}-r1`);
      // …and a version enters production from `none` the first time, from `archived` afterwards.
      const seen = new Set<string>();
      for (const t of chain) {
        expect(t.fromStage).toBe(seen.has(t.modelVersionId) ? 'archived' : 'none');
        seen.add(t.modelVersionId);
      }
      // Within one writer, history order follows call order.
      for (const r of results) {
        const mine = chain.filter((t) => t.actor === r.actor).map((t) => t.reason);
        const order = r.calls.map((c) => c.reason).filter((reason) => mine.includes(reason ?? null));
        expect(mine).toEqual(order);
      }

      const holders = await client.listModelVersions({ model, stage: 'production' });
      expect(holders.items.map((v) => v.id)).toEqual([chain[chain.length - 1]!.modelVersionId]);
      expect((await client.listModelVersions({ model, stage: 'archived' })).total).toBe(WRITERS - 1);
      await expectIntegrity();
      console.info(
        `[${backend.name}] force rounds: ${calls.length} calls, ${chain.length} changed the stage, ` +
          `${calls.length - chain.length} were no-ops (version already in production)`,
      );
    });

    it.skipIf(!backend.freshOpenSafe)(`lets ${WRITERS} processes open a never-opened store at once (each creating the schema if needed)`, async () => {
      const fresh = await backend.unopened(scratch.path);
      const results = await runWriters(fresh, scratch.path, 'unused', range(1, WRITERS).map(() => ({ kind: 'open-fresh' })));
      expect(failures(results)).toEqual([]);

      const other = new Client({ ...fresh, actor: 'test-parent' });
      try {
        const models = await other.listModels({ size: 100 });
        expect(models.items.map((m) => m.name)).toEqual(range(1, WRITERS).map((n) => `writer-${n}`));
        for (const m of models.items) expect(m.latestVersion).toBe(1);
        expect(await (await other.backend()).checkIntegrity()).toEqual([]);
      } finally {
        await other.close();
      }
    });
  });
}
