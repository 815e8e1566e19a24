/**
 * Registry benchmark: write throughput of the embedded (SQLite) backend against a raw better-sqlite3
 * floor measured in the same run, cost of version creation as a model's history grows, and artifact
 * save/load of a 256 MB value against raw file I/O (in a fresh child process, for clean RSS numbers).
 *
 * Run alone:  npx tsx bench/registry.ts          (also run by `npm run bench`)
 * Writes:     bench/results/registry.json        and prints a summary.
 *
 * Timings on small shared machines are noisy, so every comparison is made within this one run,
 * ours and floor are interleaved batch by batch, and results are medians over rounds.
 *
 * Both durability settings of the embedded store are measured: `process` (the default: SQLite
 * synchronous=NORMAL, blobs not fsynced) and `full` (synchronous=FULL, blobs and their folders
 * fsynced). Database floors use the same pragmas as the mode; the artifact budget floor is raw
 * write + fsync for both modes (the no-fsync floor is reported too).
 */
import { execSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Durability } from '../src/domain/durability.js';
import { Client, Model } from '../src/index.js';
import { Store } from '../src/store/store.js';
import { machineInfo } from './support/machine-info.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const BENCH_DIR = path.dirname(THIS_FILE);
const REPO_ROOT = path.dirname(BENCH_DIR);
const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'registry.json');

// ── knobs ────────────────────────────────────────────────────────────────────────────────────
const ROUNDS = 15; // interleaved ours/floor rounds per operation (median over rounds)
const BATCH = 200; // sequential operations per batch
const WARMUP = 200; // untimed operations of each kind before measuring
const POOL = 200; // versions that stage changes and metadata cycle over
const HISTORY_POINTS = [1_000, 10_000, 100_000];
const HISTORY_WINDOW = 200; // API creates measured around each point
const META_HISTORY_LEVELS = [0, 10_000, 100_000]; // informational: metadata rows already on a version
const META_HISTORY_OPS = 200;
const ARTIFACT_BYTES = 256 * 1024 * 1024;
const ARTIFACT_REPS = 7;

const BUDGET_WRITE_RATIO_MIN = 0.25;
const BUDGET_HISTORY_RATIO_MAX = 1.5;
const BUDGET_ARTIFACT_RATIO_MIN = 0.6;
const BUDGET_ARTIFACT_EXTRA_MEMORY_MB_MAX = 64;

const METADATA = { accuracy: 0.9, params: { lr: 0.01, depth: 3 } };
const STAGE_CYCLE = ['staging', 'production', 'archived', 'none'] as const;
const MB = 1024 * 1024;
const MODES: Durability[] = ['process', 'full']; // the first is the default and the headline
const SYNCHRONOUS: Record<Durability, 'NORMAL' | 'FULL'> = { process: 'NORMAL', full: 'FULL' };

// ── small helpers ────────────────────────────────────────────────────────────────────────────
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const round = (x: number, d = 3) => Number(x.toFixed(d));
const nowIso = () => new Date().toISOString();

function openRaw(file: string, durability: Durability): Database.Database {
  // Exactly the settings of src/store/sqlite/open-sqlite.ts for that durability.
  const db = new Database(file, { timeout: 30_000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS[durability]}`);
  db.pragma('foreign_keys = ON');
  return db;
}

/** Runs `op` `n` times sequentially; returns ops/s. */
async function timeBatch(n: number, op: (i: number) => unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return n / ((performance.now() - t0) / 1000);
}

/** The raw floor: the rows our API writes, with prepared statements, one BEGIN IMMEDIATE…COMMIT per op. */
class Floor {
  readonly db: Database.Database;
  readonly modelId = randomUUID();
  private nextNumber = 1;
  readonly versions: Array<{ id: string; number: number; name: string; stage: string }> = [];
  private readonly insertVersion: Database.Statement;
  private readonly updateStage: Database.Statement;
  private readonly insertTransition: Database.Statement;
  private readonly insertMetadata: Database.Statement;
  private stageOp = 0;

  constructor(file: string, durability: Durability) {
    this.db = openRaw(file, durability);
    const t = nowIso();
    this.db
      .prepare(
        `insert into models (id, name, license, description, audience, use_cases, limitations, trade_offs, ethics, created_at, updated_at, write_seq)
         values (?, ?, null, null, null, null, null, null, null, ?, ?, 0)`,
      )
      .run(this.modelId, 'bench', t, t);
    this.insertVersion = this.db.prepare(
      `insert into model_versions (id, model_id, number, name, description, stage, stage_changed_at, created_at, updated_at)
       values (?, ?, ?, ?, null, 'none', null, ?, ?)`,
    );
    this.updateStage = this.db.prepare(`update model_versions set stage = ?, stage_changed_at = ?, updated_at = ? where id = ?`);
    this.insertTransition = this.db.prepare(
      `insert into stage_transitions (model_id, model_version_id, version_number, version_name, from_stage, to_stage,
         displaced_version_id, displaced_version_number, actor, reason, created_at)
       values (?, ?, ?, ?, ?, ?, null, null, ?, null, ?)`,
    );
    this.insertMetadata = this.db.prepare(
      `insert into run_metadata (resource_type, resource_id, key, value, type, created_at) values ('model_version', ?, ?, ?, ?, ?)`,
    );
  }

  private tx(fn: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      fn();
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  createVersion(): void {
    const number = this.nextNumber++;
    const id = randomUUID();
    const t = nowIso();
    this.tx(() => this.insertVersion.run(id, this.modelId, number, String(number), t, t));
    if (this.versions.length < POOL) this.versions.push({ id, number, name: String(number), stage: 'none' });
  }

  setStage(): void {
    const i = this.stageOp++;
    const v = this.versions[Math.floor(i / STAGE_CYCLE.length) % this.versions.length]!;
    const to = STAGE_CYCLE[i % STAGE_CYCLE.length]!;
    const t = nowIso();
    this.tx(() => {
      this.updateStage.run(to, t, t, v.id);
      this.insertTransition.run(this.modelId, v.id, v.number, v.name, v.stage, to, 'bench', t);
    });
    v.stage = to;
  }

  logMetadata(i: number): void {
    const v = this.versions[i % this.versions.length]!;
    const t = nowIso();
    this.tx(() => {
      this.insertMetadata.run(v.id, 'accuracy', JSON.stringify(METADATA.accuracy), 'float', t);
      this.insertMetadata.run(v.id, 'params', JSON.stringify(METADATA.params), 'dict', t);
    });
  }
}

interface WriteResult {
  durability: Durability;
  synchronous: string;
  oursOpsPerSec: number;
  floorOpsPerSec: number;
  ratio: number;
  budget: { min: number };
  pass: boolean;
  floor: string;
  perRound: Array<{ ours: number; floor: number; ratio: number }>;
}

function writeResult(durability: Durability, ours: number[], floor: number[], floorDescription: string): WriteResult {
  const perRound = ours.map((o, i) => ({ ours: Math.round(o), floor: Math.round(floor[i]!), ratio: round(o / floor[i]!) }));
  const ratio = round(median(perRound.map((r) => r.ratio)));
  return {
    durability,
    synchronous: SYNCHRONOUS[durability],
    oursOpsPerSec: Math.round(median(ours)),
    floorOpsPerSec: Math.round(median(floor)),
    ratio,
    budget: { min: BUDGET_WRITE_RATIO_MIN },
    pass: ratio >= BUDGET_WRITE_RATIO_MIN,
    floor: floorDescription,
    perRound,
  };
}

// ── part 1: write throughput vs floor ────────────────────────────────────────────────────────
async function benchWrites(tmp: string, durability: Durability) {
  const client = new Client({ home: path.join(tmp, `writes-${durability}`), actor: 'bench', durability });
  try {
    return await benchWritesWith(client, tmp, durability);
  } finally {
    await client.close();
  }
}

async function benchWritesWith(client: Client, tmp: string, durability: Durability) {
  await client.createModel({ name: 'bench' });
  const floorFile = path.join(tmp, `floor-${durability}`, 'floor.db');
  await (await Store.open(`sqlite://${floorFile}`)).close(); // same schema, via the same migration
  const floor = new Floor(floorFile, durability);

  // Warm-up (JIT, statement caches) and the pool of versions the other operations cycle over.
  for (let i = 0; i < Math.max(WARMUP, POOL); i++) {
    await client.createModelVersion({ model: 'bench' });
    floor.createVersion();
  }
  const poolNumbers = Array.from({ length: POOL }, (_, i) => i + 1);
  const models: Model[] = [];
  for (const n of poolNumbers) {
    const m = new Model({ name: 'bench', version: n, client });
    await m.getVersion();
    models.push(m);
  }

  let stageOp = 0;
  const oursSetStage = () => {
    const i = stageOp++;
    const n = poolNumbers[Math.floor(i / STAGE_CYCLE.length) % POOL]!;
    // One version at a time goes through the whole cycle, so every call is a real transition and no
    // other version holds staging/production (force is passed but never displaces anything).
    return client.updateModelVersion('bench', n, { stage: STAGE_CYCLE[i % STAGE_CYCLE.length]!, force: true });
  };
  let metaOp = 0;
  const oursLogByName = () => client.logMetadata({ metadata: METADATA, modelName: 'bench', modelVersion: poolNumbers[metaOp++ % POOL]! });
  let modelOp = 0;
  const oursLogViaModel = () => models[modelOp++ % POOL]!.logMetadata(METADATA);
  let floorMetaOp = 0;
  const floorLog = () => floor.logMetadata(floorMetaOp++);

  for (let i = 0; i < WARMUP; i++) {
    await oursSetStage();
    floor.setStage();
    await oursLogByName();
    await oursLogViaModel();
    floorLog();
  }

  const series = {
    create: { ours: [] as number[], floor: [] as number[] },
    stage: { ours: [] as number[], floor: [] as number[] },
    logByName: { ours: [] as number[], floor: [] as number[] },
    logViaModel: { ours: [] as number[], floor: [] as number[] },
  };
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which side goes first so slow drift (WAL checkpoints, neighbours) hits both alike.
    const pair = async (s: { ours: number[]; floor: number[] }, ours: (i: number) => unknown, raw: (i: number) => unknown) => {
      if (r % 2 === 0) {
        s.ours.push(await timeBatch(BATCH, ours));
        s.floor.push(await timeBatch(BATCH, raw));
      } else {
        s.floor.push(await timeBatch(BATCH, raw));
        s.ours.push(await timeBatch(BATCH, ours));
      }
    };
    await pair(series.create, () => client.createModelVersion({ model: 'bench' }), () => floor.createVersion());
    await pair(series.stage, oursSetStage, () => floor.setStage());
    await pair(series.logByName, oursLogByName, floorLog);
    await pair(series.logViaModel, oursLogViaModel, floorLog);
    if (process.stdout.isTTY) process.stdout.write(`  writes (${durability}): round ${r + 1}/${ROUNDS}\r`);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
  floor.db.close();

  return {
    createModelVersion: writeResult(durability, series.create.ours, series.create.floor, 'insert 1 model_versions row; 1 transaction (BEGIN IMMEDIATE…COMMIT) per op'),
    setStage: writeResult(
      durability,
      series.stage.ours,
      series.stage.floor,
      'update model_versions.stage + insert 1 stage_transitions row; 1 transaction per op. Ours: client.updateModelVersion(model, n, { stage, force: true }), cycling one version at a time through staging→production→archived→none',
    ),
    logMetadataByName: writeResult(
      durability,
      series.logByName.ours,
      series.logByName.floor,
      'insert 2 run_metadata rows (accuracy, params); 1 transaction per op. Ours: client.logMetadata({ metadata, modelName, modelVersion: n })',
    ),
    logMetadataViaModel: writeResult(
      durability,
      series.logViaModel.ours,
      series.logViaModel.floor,
      'insert 2 run_metadata rows; 1 transaction per op. Ours: model.logMetadata(metadata) on an already-resolved Model',
    ),
  };
}

// ── part 2: cost of creating a version as the model's history grows ──────────────────────────
async function benchHistory(dbFile: string, client: Client) {
  await client.createModel({ name: 'history' });
  await client.createModel({ name: 'history_ref' });
  const raw = openRaw(dbFile, MODES[0]!);
  const modelId = (raw.prepare('select id from models where name = ?').get('history') as { id: string }).id;
  const insert = raw.prepare(
    `insert into model_versions (id, model_id, number, name, description, stage, stage_changed_at, created_at, updated_at)
     values (?, ?, ?, ?, null, 'none', null, ?, ?)`,
  );
  // lockModel bumps write_seq and updated_at once per create; the bulk rows do the same in aggregate.
  const bump = raw.prepare('update models set write_seq = write_seq + ?, updated_at = ? where id = ?');
  const countOf = () => Number((raw.prepare('select max(number) as n from model_versions where model_id = ?').get(modelId) as { n: number | null }).n ?? 0);
  const bulkTo = (target: number) => {
    let current = countOf();
    const BULK_TX = 20_000;
    while (current < target) {
      const end = Math.min(target, current + BULK_TX);
      raw.transaction(() => {
        for (let n = current + 1; n <= end; n++) {
          const t = nowIso();
          insert.run(randomUUID(), modelId, n, String(n), t, t);
        }
        bump.run(end - current, nowIso(), modelId);
      })();
      current = end;
    }
  };

  const points = [];
  for (const point of HISTORY_POINTS) {
    const t0 = performance.now();
    bulkTo(point - HISTORY_WINDOW / 2);
    const bulkSec = (performance.now() - t0) / 1000;
    const times: number[] = [];
    const refTimes: number[] = [];
    let first = 0;
    let last = 0;
    for (let i = 0; i < HISTORY_WINDOW; i++) {
      // A create on a small reference model right next to each measured create tells machine noise
      // apart from growth (informational; the budget uses the raw ratio).
      let s = performance.now();
      const v = await client.createModelVersion({ model: 'history' });
      times.push(performance.now() - s);
      if (i === 0) first = v.number;
      last = v.number;
      s = performance.now();
      await client.createModelVersion({ model: 'history_ref' });
      refTimes.push(performance.now() - s);
    }
    points.push({
      point,
      versionsCreated: `${first}..${last}`,
      medianMsPerOp: round(median(times)),
      p90MsPerOp: round(quantile(times, 0.9)),
      refMedianMsPerOp: round(median(refTimes)),
      bulkInsertSec: round(bulkSec, 2),
    });
    process.stdout.write(`  history: version ${point} → ${round(median(times))} ms/op\n`);
  }
  raw.close();
  const firstP = points[0]!;
  const lastP = points[points.length - 1]!;
  const ratio = round(lastP.medianMsPerOp / firstP.medianMsPerOp);
  return {
    method: `Versions of ONE model bulk-inserted with raw SQL (rows identical to the API's, write_seq bumped alike) up to each point minus ${HISTORY_WINDOW / 2}, then ${HISTORY_WINDOW} client.createModelVersion calls timed one by one; median per op. Each is followed by a create on a small reference model (refMedianMsPerOp) for noise comparison.`,
    points,
    ratio,
    ratioOfNormalized: round(lastP.medianMsPerOp / lastP.refMedianMsPerOp / (firstP.medianMsPerOp / firstP.refMedianMsPerOp)),
    budget: { max: BUDGET_HISTORY_RATIO_MAX },
    pass: ratio <= BUDGET_HISTORY_RATIO_MAX,
  };
}

// ── informational: logMetadata on a version that already has a long metadata history ─────────
async function benchMetadataHistory(dbFile: string, client: Client) {
  const raw = openRaw(dbFile, MODES[0]!);
  const ins = raw.prepare(`insert into run_metadata (resource_type, resource_id, key, value, type, created_at) values ('model_version', ?, ?, ?, ?, ?)`);
  const levels = [];
  for (const rows of META_HISTORY_LEVELS) {
    const v = await client.createModelVersion({ model: 'bench' });
    // Rows identical to what logMetadata(METADATA) writes: two per call.
    raw.transaction(() => {
      for (let i = 0; i < rows / 2; i++) {
        const t = nowIso();
        ins.run(v.id, 'accuracy', JSON.stringify(METADATA.accuracy), 'float', t);
        ins.run(v.id, 'params', JSON.stringify(METADATA.params), 'dict', t);
      }
    })();
    const model = new Model({ name: 'bench', version: v.number, client });
    await model.getVersion();
    levels.push({ rows, number: v.number, model, viaModel: [] as number[], byName: [] as number[] });
  }
  raw.close();
  const time = async (xs: number[], fn: () => Promise<unknown>) => {
    const s = performance.now();
    await fn();
    xs.push(performance.now() - s);
  };
  // One level at a time: interleaving would let the deep levels' scans evict SQLite's page cache
  // and slow the shallow ones.
  for (const l of levels) {
    for (let i = 0; i < META_HISTORY_OPS; i++) {
      await time(l.viaModel, () => l.model.logMetadata(METADATA));
      await time(l.byName, () => client.logMetadata({ metadata: METADATA, modelName: 'bench', modelVersion: l.number }));
    }
  }
  return {
    informational: true,
    method: `One version per level with that many metadata rows already logged (raw-inserted, identical to the API's). ${META_HISTORY_OPS} alternating model.logMetadata / client.logMetadata(by name) calls per level, level by level; median ms per op. Each level gains ${META_HISTORY_OPS * 4} rows during the test.`,
    levels: levels.map((l) => ({
      existingMetadataRows: l.rows,
      viaModelMsPerOp: round(median(l.viaModel)),
      byNameMsPerOp: round(median(l.byName)),
    })),
  };
}

// ── part 3: artifact save/load (child process) ───────────────────────────────────────────────
function readHwmBytes(): number {
  const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
function resetHwm(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Measures `fn`'s wall time and the peak RSS / arrayBuffers it adds over the state just before it. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; sec: number; peakRssGrowthMB: number; peakArrayBuffersGrowthMB: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const base = process.memoryUsage();
  const hwmReset = resetHwm();
  let peakRss = base.rss;
  let peakAb = base.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.arrayBuffers > peakAb) peakAb = m.arrayBuffers;
  };
  const timer = setInterval(sample, 2);
  const t0 = performance.now();
  const value = await fn();
  const sec = (performance.now() - t0) / 1000;
  clearInterval(timer);
  sample();
  if (hwmReset) peakRss = Math.max(peakRss, readHwmBytes());
  return { value, sec, peakRssGrowthMB: (peakRss - base.rss) / MB, peakArrayBuffersGrowthMB: (peakAb - base.arrayBuffers) / MB };
}

type Rep = Record<string, number>;

async function artifactChild(outFile: string): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'modelplane-bench-artifact-'));
  try {
    const clients = Object.fromEntries(
      MODES.map((d) => [d, new Client({ home: path.join(tmp, `ours-${d}`), actor: 'bench', durability: d })]),
    ) as Record<Durability, Client>;
    // Warm up the stores, the materializer path and the JIT with a small value.
    for (const c of Object.values(clients)) {
      for (let i = 0; i < 3; i++) await c.loadArtifact(await c.saveArtifact('warmup', new Float64Array(1 << 16).fill(i)));
    }

    const value = new Float64Array(ARTIFACT_BYTES / 8);
    let x = 0x12345678;
    for (let i = 0; i < value.length; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      value[i] = (x / 4294967296) * 1000 - i * 1e-3;
    }
    const bytes = new Uint8Array(value.buffer);
    const sizeMB = ARTIFACT_BYTES / MB;
    const floorFile = path.join(tmp, 'floor.bin');
    let stamp = 0;

    const ours = (d: Durability) => async (rep: Rep) => {
      value[0] = ++stamp + 0.5; // new content each time, so every save writes a new blob
      const c = clients[d];
      const save = await measured(() => c.saveArtifact('bench_blob', value));
      const load = await measured(async () => {
        const loaded = await c.loadArtifact(save.value);
        // Spot checks only (negligible); the value is dropped right after.
        return loaded instanceof Float64Array && loaded.length === value.length && loaded[0] === value[0] && loaded[value.length - 1] === value[value.length - 1];
      });
      if (!load.value) throw new Error('loaded artifact differs from the saved value');
      // Drop the blob, as the floor drops its file: in this VM, writes that grow the page cache (new
      // pages) run ~10x slower than writes that reuse freed ones, so both sides must do the same.
      await fs.unlink(fileURLToPath(save.value.uri));
      Object.assign(rep, {
        [`${d}SaveSec`]: save.sec,
        [`${d}LoadSec`]: load.sec,
        [`${d}SaveRssMB`]: save.peakRssGrowthMB,
        [`${d}SaveArrayBuffersMB`]: save.peakArrayBuffersGrowthMB,
        [`${d}LoadRssMB`]: load.peakRssGrowthMB - sizeMB,
        [`${d}LoadArrayBuffersMB`]: load.peakArrayBuffersGrowthMB - sizeMB,
      });
    };
    const floorFsync = async (rep: Rep) => {
      const write = await measured(async () => {
        const fh = await fs.open(floorFile, 'w');
        try {
          await fh.writeFile(bytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
      });
      // Only the length escapes, so the buffer is garbage afterwards (its peak is still measured).
      const read = await measured(async () => (await fs.readFile(floorFile)).byteLength);
      if (read.value !== ARTIFACT_BYTES) throw new Error('floor read size mismatch');
      await fs.unlink(floorFile);
      Object.assign(rep, { floorWriteFsyncSec: write.sec, floorReadSec: read.sec, floorWriteRssMB: write.peakRssGrowthMB, floorReadRssMB: read.peakRssGrowthMB - sizeMB });
    };
    const floorNoFsync = async (rep: Rep) => {
      const write = await measured(() => fs.writeFile(floorFile, bytes));
      await fs.unlink(floorFile);
      Object.assign(rep, { floorWriteNoFsyncSec: write.sec });
    };
    const steps = [ours('process'), ours('full'), floorFsync, floorNoFsync];

    const reps: Rep[] = [];
    for (let r = 0; r < ARTIFACT_REPS; r++) {
      const rep: Rep = {};
      // Rotate the order each repetition so no side always follows the same neighbour, and start every
      // step with no dirty pages left by the previous one (an unsynced `process` blob, the no-fsync floor).
      for (let k = 0; k < steps.length; k++) {
        execSync('sync');
        await steps[(k + r) % steps.length]!(rep);
      }
      reps.push(rep);
      process.stdout.write(`  artifact: repetition ${r + 1}/${ARTIFACT_REPS}\n`);
    }
    for (const c of Object.values(clients)) await c.close();
    writeFileSync(outFile, JSON.stringify({ reps, hwmReset: resetHwm() }));
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function benchArtifact() {
  const outFile = path.join(os.tmpdir(), `modelplane-bench-artifact-${process.pid}.json`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', THIS_FILE, '--artifact-child', outFile], { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`artifact child exited with ${code}`))));
  });
  const { reps, hwmReset } = JSON.parse(readFileSync(outFile, 'utf8')) as { reps: Rep[]; hwmReset: boolean };
  await fs.rm(outFile, { force: true });
  const sizeMB = ARTIFACT_BYTES / MB;
  const mbps = (k: string) => round(sizeMB / median(reps.map((r) => r[k]!)), 1);
  /** Median over repetitions of floor time / our time (paired within a repetition). */
  const paired = (ours: string, floor: string) => round(median(reps.map((r) => r[floor]! / r[ours]!)));
  const worst = (k: string) => round(Math.max(...reps.map((r) => r[k]!)), 1);
  const budget = { min: BUDGET_ARTIFACT_RATIO_MIN };

  const modeResult = (d: Durability) => {
    // The budget floor is raw write + fsync (for both modes). `process` gives a weaker guarantee (no
    // fsync), so its ratio against the floor with that same guarantee (no fsync) is given as well.
    const saveRatio = paired(`${d}SaveSec`, 'floorWriteFsyncSec');
    const loadRatio = paired(`${d}LoadSec`, 'floorReadSec');
    const roundTripRatio = round(median(reps.map((r) => (r.floorWriteFsyncSec! + r.floorReadSec!) / (r[`${d}SaveSec`]! + r[`${d}LoadSec`]!))));
    const saveExtra = worst(`${d}SaveRssMB`);
    const loadExtra = worst(`${d}LoadRssMB`);
    return {
      blobFsync: d === 'full',
      save: {
        oursMBps: mbps(`${d}SaveSec`),
        floorMBps: mbps('floorWriteFsyncSec'),
        ratio: saveRatio,
        ratioVsWriteNoFsync: paired(`${d}SaveSec`, 'floorWriteNoFsyncSec'),
        budget,
        pass: saveRatio >= BUDGET_ARTIFACT_RATIO_MIN,
      },
      load: { oursMBps: mbps(`${d}LoadSec`), floorMBps: mbps('floorReadSec'), ratio: loadRatio, budget, pass: loadRatio >= BUDGET_ARTIFACT_RATIO_MIN },
      roundTrip: { ratio: roundTripRatio, informational: true },
      memory: {
        savePeakRssGrowthMB: saveExtra,
        loadPeakRssGrowthBeyondValueMB: loadExtra,
        savePeakArrayBuffersGrowthMB: worst(`${d}SaveArrayBuffersMB`),
        loadPeakArrayBuffersGrowthBeyondValueMB: worst(`${d}LoadArrayBuffersMB`),
        budget: { maxMB: BUDGET_ARTIFACT_EXTRA_MEMORY_MB_MAX },
        pass: saveExtra < BUDGET_ARTIFACT_EXTRA_MEMORY_MB_MAX && loadExtra < BUDGET_ARTIFACT_EXTRA_MEMORY_MB_MAX,
      },
    };
  };
  const modes = {} as Record<Durability, ReturnType<typeof modeResult>>;
  for (const d of MODES) modes[d] = modeResult(d);

  return {
    valueBytes: ARTIFACT_BYTES,
    value: 'Float64Array of 32 Mi pseudo-random doubles (typed-array materializer); element 0 changes before every save so each save stores a new blob',
    repetitions: ARTIFACT_REPS,
    method:
      'Child process (--expose-gc). Each repetition runs, in rotating order and each after a `sync`: save+load through a client per durability, raw write+fsync then readFile, raw writeFile without fsync. ' +
      'Every written file (our blob, the floor file) is deleted right after its step, so neither side grows the page cache (which is far slower than reusing freed pages on this VM). ' +
      'MB/s are medians; ratio = median over repetitions of floor time / our time (paired). Save is judged against raw write+fsync in both modes; ratioVsWriteNoFsync compares with a raw write without fsync. ' +
      'Loads read a file just written (warm page cache), ours and floor alike.',
    floors: { writeFsyncMBps: mbps('floorWriteFsyncSec'), writeNoFsyncMBps: mbps('floorWriteNoFsyncSec'), readFileMBps: mbps('floorReadSec') },
    ...modes,
    memoryMethod: `peak RSS over the state just before the call (timer sample every 2 ms${hwmReset ? ' + kernel VmHWM after resetting it via /proc/self/clear_refs' : ''}); for loads the ${sizeMB} MB of the returned value is subtracted; worst repetition. Floors for comparison: write +${worst('floorWriteRssMB')} MB, readFile +${worst('floorReadRssMB')} MB beyond the value.`,
    perRepetition: reps.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))),
  };
}

// ── driver ───────────────────────────────────────────────────────────────────────────────────
type Writes = Awaited<ReturnType<typeof benchWritesWith>>;
type WriteEntry = WriteResult & Partial<Record<Durability, Omit<WriteResult, 'budget' | 'floor'>>>;

export async function runRegistryBench(): Promise<{ allPass: boolean }> {
  const started = performance.now();
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'modelplane-bench-'));
  const writes = {} as Record<Durability, Writes>;
  let history, metadataHistory;
  try {
    for (const d of MODES) {
      console.log(`registry bench: write throughput vs raw better-sqlite3 floor — durability ${d} (synchronous=${SYNCHRONOUS[d]})`);
      writes[d] = await benchWrites(tmp, d);
    }
    const home = path.join(tmp, 'history');
    const client = new Client({ home, actor: 'bench', durability: MODES[0]! });
    try {
      console.log(`registry bench: version-create cost vs model history (durability ${MODES[0]})`);
      await client.createModel({ name: 'bench' });
      history = await benchHistory(path.join(home, 'modelplane.db'), client);
      console.log('registry bench: logMetadata cost vs metadata history (informational)');
      metadataHistory = await benchMetadataHistory(path.join(home, 'modelplane.db'), client);
    } finally {
      await client.close();
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  console.log('registry bench: artifact save/load of 256 MB (child process)');
  const artifact = await benchArtifact();

  // Headline entries are the default durability; the other modes sit under their name.
  const ops = ['createModelVersion', 'setStage', 'logMetadataByName', 'logMetadataViaModel'] as const;
  const writeEntries = Object.fromEntries(
    ops.map((op) => {
      const [head, ...rest] = MODES;
      const entry: WriteEntry = { ...writes[head!][op] };
      for (const d of rest) {
        const { budget: _b, floor: _f, ...r } = writes[d][op];
        entry[d] = r;
      }
      return [op, entry];
    }),
  ) as Record<(typeof ops)[number], WriteEntry>;

  const checks: Array<[string, boolean]> = [
    ...ops.flatMap((op) => MODES.map((d) => [`${op}[${d}]`, writes[d][op].pass] as [string, boolean])),
    ['versionHistory', history.pass],
    ...MODES.flatMap((d) => [
      [`artifact.save[${d}]`, artifact[d].save.pass] as [string, boolean],
      [`artifact.load[${d}]`, artifact[d].load.pass] as [string, boolean],
      [`artifact.memory[${d}]`, artifact[d].memory.pass] as [string, boolean],
    ]),
  ];
  const failed = checks.filter(([, p]) => !p).map(([n]) => n);
  const report = {
    bench: 'registry',
    description: 'modelplane embedded backend (SQLite WAL + local artifact store) vs raw floors with the same settings, measured in the same run',
    machine: machineInfo(),
    date: new Date().toISOString(),
    durationSec: 0,
    config: {
      durabilities: MODES.map((d) => ({ durability: d, sqliteSynchronous: SYNCHRONOUS[d], blobFsync: d === 'full', headline: d === MODES[0] })),
      rounds: ROUNDS,
      opsPerBatch: BATCH,
      warmupOps: WARMUP,
      versionPool: POOL,
      historyPoints: HISTORY_POINTS,
      historyWindow: HISTORY_WINDOW,
      artifactBytes: ARTIFACT_BYTES,
      artifactRepetitions: ARTIFACT_REPS,
      metadataHistoryLevels: META_HISTORY_LEVELS,
    },
    method:
      'Ops/s are medians over rounds of sequential batches; ours and floor batches alternate within each round (order flipped every round). ratio = median over rounds of ours/floor ops/s. ' +
      `Top-level write entries are durability "${MODES[0]}" (the default); the same measurement for the other modes is nested under the mode's name.`,
    results: { ...writeEntries, versionHistory: history, artifact, metadataHistory },
    summary: { allPass: failed.length === 0, checks: Object.fromEntries(checks), failed },
  };
  report.durationSec = round((performance.now() - started) / 1000, 1);
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');
  printSummary(report, writes);
  return { allPass: failed.length === 0 };
}

function printSummary(
  report: {
    machine: { cpus: number; node: string; loadAverageAtStart: number[] };
    durationSec: number;
    results: {
      versionHistory: Awaited<ReturnType<typeof benchHistory>>;
      artifact: Awaited<ReturnType<typeof benchArtifact>>;
      metadataHistory: Awaited<ReturnType<typeof benchMetadataHistory>>;
    };
    summary: { allPass: boolean; failed: string[] };
  },
  writes: Record<Durability, Writes>,
): void {
  const r = report.results;
  const ok = (p: boolean) => (p ? 'PASS' : 'FAIL');
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`\nregistry bench — ${report.machine.cpus} cpus, node ${report.machine.node}, load avg at start ${report.machine.loadAverageAtStart.join(' ')}, ${report.durationSec}s\n`);
  console.log(`${'operation'.padEnd(22)}${'durability'.padEnd(12)}${pad('ours op/s', 10)}${pad('floor op/s', 12)}${pad('ratio', 8)}  budget`);
  for (const [name, op] of [
    ['createModelVersion', 'createModelVersion'],
    ['setStage', 'setStage'],
    ['logMetadata (by name)', 'logMetadataByName'],
    ['model.logMetadata', 'logMetadataViaModel'],
  ] as const) {
    for (const d of MODES) {
      const w = writes[d][op];
      console.log(`${name.padEnd(22)}${`${d}`.padEnd(12)}${pad(w.oursOpsPerSec, 10)}${pad(w.floorOpsPerSec, 12)}${pad(w.ratio.toFixed(2), 8)}  ≥ ${w.budget.min}  ${ok(w.pass)}`);
    }
  }
  const h = r.versionHistory;
  console.log(`\nversion create vs history: ${h.points.map((p) => `#${p.point}: ${p.medianMsPerOp} ms`).join(', ')}`);
  console.log(`  t(${h.points.at(-1)!.point})/t(${h.points[0]!.point}) = ${h.ratio} (noise-normalized ${h.ratioOfNormalized})  ≤ ${h.budget.max}  ${ok(h.pass)}`);
  const a = r.artifact;
  console.log(`\nartifact ${a.valueBytes / MB} MB — floors: write+fsync ${a.floors.writeFsyncMBps} MB/s, writeFile (no fsync) ${a.floors.writeNoFsyncMBps} MB/s, readFile ${a.floors.readFileMBps} MB/s`);
  for (const d of MODES) {
    const m = a[d];
    console.log(
      `  ${d.padEnd(8)} save ${pad(m.save.oursMBps, 7)} MB/s  ratio ${m.save.ratio} vs write+fsync (${m.save.ratioVsWriteNoFsync} vs write without fsync)  ≥ ${BUDGET_ARTIFACT_RATIO_MIN}  ${ok(m.save.pass)}`,
    );
    console.log(`  ${''.padEnd(8)} load ${pad(m.load.oursMBps, 7)} MB/s  ratio ${m.load.ratio} vs readFile  ≥ ${BUDGET_ARTIFACT_RATIO_MIN}  ${ok(m.load.pass)}   (round trip ${m.roundTrip.ratio})`);
    console.log(
      `  ${''.padEnd(8)} memory: save +${m.memory.savePeakRssGrowthMB} MB RSS, load +${m.memory.loadPeakRssGrowthBeyondValueMB} MB RSS beyond the value  < ${BUDGET_ARTIFACT_EXTRA_MEMORY_MB_MAX} MB  ${ok(m.memory.pass)}`,
    );
  }
  const m = r.metadataHistory;
  console.log('\n(info) logMetadata ms/op vs metadata rows already on the version:');
  for (const l of m.levels) console.log(`  ${pad(l.existingMetadataRows, 7)} rows: model.logMetadata ${l.viaModelMsPerOp} ms, client.logMetadata by name ${l.byNameMsPerOp} ms`);
  console.log(`\n${report.summary.allPass ? 'all budgets pass' : `FAILED: ${report.summary.failed.join(', ')}`} — ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === THIS_FILE;
if (invokedDirectly) {
  const childAt = process.argv.indexOf('--artifact-child');
  if (childAt !== -1) {
    await artifactChild(process.argv[childAt + 1]!);
  } else {
    const { allPass } = await runRegistryBench();
    process.exitCode = allPass ? 0 : 1;
  }
}
