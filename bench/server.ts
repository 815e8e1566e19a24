/**
 * Server benchmark (issue 5 budgets): REST API throughput on server + SQLite + local disk against a bare
 * hono route served the same way, measured in the same run, with 32 connections over loopback; the
 * same again when the model holds 100,000 versions; and a 1 GB artifact streamed up and down through
 * the server with the server's memory watched.
 *
 * Every server runs in its own child process (this file with `--child api|bare DIR`), so its memory is
 * its own; the load generator (autocannon) runs in this process, on the same cores.
 *
 * Run alone:  npx tsx bench/server.ts          (also run by `npm run bench`)
 * Writes:     bench/results/server.json        and prints a summary; exits 1 when a budget fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { HttpBackend } from '../src/backend/http-backend.js';
import { loadAverageNow, machineInfo } from './support/machine-info.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const BENCH_DIR = path.dirname(THIS_FILE);
const REPO_ROOT = path.dirname(BENCH_DIR);
const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'server.json');

// ── knobs ────────────────────────────────────────────────────────────────────────────────────
const CONNECTIONS = 32;
const SLICE_SEC = 5; // one autocannon run; GET and bare alternate slice by slice
const SLICES = 2; // slices per side and phase (so 10 s of load per side and phase)
const WARMUP_SEC = 2;
const HISTORY_VERSIONS = 100_000;
const ARTIFACT_BYTES = 1024 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const MODEL = 'bench';

const BUDGET_GET_RATIO_MIN = 0.3;
const BUDGET_POST_RPS_MIN = 1_000;
const BUDGET_HISTORY_CHANGE_MAX = 0.2;
const BUDGET_ARTIFACT_RSS_GROWTH_MB_MAX = 100;

const MB = 1024 * 1024;
const round = (x: number, d = 3) => Number(x.toFixed(d));
const nowIso = () => new Date().toISOString();

// ── child: one server ────────────────────────────────────────────────────────────────────────
type ToChild = { type: 'mem'; resetHwm?: boolean } | { type: 'stop' };
interface MemReport {
  type: 'mem';
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  vmHwm: number;
  hwmReset: boolean;
}
type FromChild = { type: 'ready'; url: string; adminKey: string | null } | MemReport;

function procStatusBytes(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)\\s*kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function serverChild(kind: string, dir: string): Promise<void> {
  const send = (m: FromChild) => process.send!(m);
  let close: () => Promise<void>;
  if (kind === 'bare') {
    const { Hono } = await import('hono');
    const { serve } = await import('@hono/node-server');
    const app = new Hono();
    app.get('/x', (c) => c.json({ ok: true }));
    const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve({ server: s, port: info.port }));
    });
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    send({ type: 'ready', url: `http://127.0.0.1:${port}`, adminKey: null });
  } else {
    const { startServer } = await import('../src/server/start-server.js');
    const running = await startServer({
      database: `sqlite://${path.join(dir, 'modelplane.db')}`,
      artifactStore: `file://${path.join(dir, 'artifacts')}`,
      host: '127.0.0.1',
      port: 0,
      auth: true,
    });
    close = () => running.close();
    send({ type: 'ready', url: running.url, adminKey: running.adminKey });
  }
  process.on('message', (msg: ToChild) => {
    if (msg.type === 'stop') {
      void close().then(() => process.exit(0));
      return;
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    let hwmReset = false;
    if (msg.resetHwm) {
      try {
        writeFileSync('/proc/self/clear_refs', '5');
        hwmReset = true;
      } catch {
        hwmReset = false;
      }
    }
    const m = process.memoryUsage();
    send({ type: 'mem', rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, vmHwm: procStatusBytes('self', 'VmHWM'), hwmReset });
  });
}

// ── parent side ──────────────────────────────────────────────────────────────────────────────
class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly adminKey: string | null,
  ) {}

  static async start(kind: 'api' | 'bare', dir: string): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', THIS_FILE, '--child', kind, dir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ url: string; adminKey: string | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before it was ready`)));
      child.on('message', (m: FromChild) => {
        if (m.type === 'ready') resolve(m);
      });
    });
    child.removeAllListeners('exit');
    return new ServerProcess(child, ready.url, ready.adminKey);
  }

  get pid(): number {
    return this.child.pid!;
  }

  mem(resetHwm = false): Promise<MemReport> {
    return new Promise((resolve) => {
      const on = (m: FromChild) => {
        if (m.type !== 'mem') return;
        this.child.off('message', on);
        resolve(m);
      };
      this.child.on('message', on);
      this.child.send({ type: 'mem', resetHwm } satisfies ToChild);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ToChild);
    const t = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(t);
  }
}

interface Load {
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  sec: number;
}

async function load(opts: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; sec: number }): Promise<Load> {
  const r = await autocannon({
    url: opts.url,
    method: opts.method ?? 'GET',
    connections: CONNECTIONS,
    duration: opts.sec,
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const ok = r['2xx'];
  return {
    rps: round(ok / r.duration, 1),
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    sec: round(r.duration, 2),
  };
}

const sumRps = (xs: Load[]) => round(xs.reduce((a, x) => a + x.ok, 0) / xs.reduce((a, x) => a + x.sec, 0), 1);

async function throughputPhase(api: ServerProcess, bare: ServerProcess, label: string) {
  const auth = { authorization: `Bearer ${api.adminKey!}` };
  const getUrl = `${api.url}/api/v1/models/${MODEL}/versions/production`;
  const postUrl = `${api.url}/api/v1/model_versions`;
  const bareUrl = `${bare.url}/x`;
  const post = { url: postUrl, method: 'POST' as const, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL }) };

  // Warm-up: JIT, statement caches, connection handling.
  await load({ url: bareUrl, sec: WARMUP_SEC });
  await load({ url: getUrl, headers: auth, sec: WARMUP_SEC });
  const getSlices: Load[] = [];
  const bareSlices: Load[] = [];
  for (let s = 0; s < SLICES; s++) {
    // Alternate which goes first so drift hits both alike.
    if (s % 2 === 0) {
      bareSlices.push(await load({ url: bareUrl, sec: SLICE_SEC }));
      getSlices.push(await load({ url: getUrl, headers: auth, sec: SLICE_SEC }));
    } else {
      getSlices.push(await load({ url: getUrl, headers: auth, sec: SLICE_SEC }));
      bareSlices.push(await load({ url: bareUrl, sec: SLICE_SEC }));
    }
  }
  await load({ ...post, sec: WARMUP_SEC });
  const postSlices: Load[] = [];
  for (let s = 0; s < SLICES; s++) postSlices.push(await load({ ...post, sec: SLICE_SEC }));
  const getRps = sumRps(getSlices);
  const bareRps = sumRps(bareSlices);
  const postRps = sumRps(postSlices);
  const bad = [...getSlices, ...bareSlices, ...postSlices].reduce((a, x) => a + x.non2xx + x.errors + x.timeouts, 0);
  console.log(`  ${label}: GET by stage ${getRps} req/s, bare hono ${bareRps} req/s (ratio ${round(getRps / bareRps)}), POST create-version ${postRps} req/s${bad ? `, ${bad} failed requests` : ''}`);
  return {
    getByStage: { rps: getRps, slices: getSlices },
    bareHono: { rps: bareRps, slices: bareSlices },
    getRatio: round(getRps / bareRps),
    createVersion: { rps: postRps, slices: postSlices },
    failedRequests: bad,
  };
}

/** Bulk-inserts versions of MODEL with raw SQL, rows as the API writes them (as bench/registry.ts does). */
function bulkInsertVersions(dbFile: string, target: number): { inserted: number; sec: number; versionsNow: number } {
  const t0 = performance.now();
  const raw = new Database(dbFile, { timeout: 30_000 });
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  const modelId = (raw.prepare('select id from models where name = ?').get(MODEL) as { id: string }).id;
  const insert = raw.prepare(
    `insert into model_versions (id, model_id, number, name, description, stage, stage_changed_at, created_at, updated_at)
     values (?, ?, ?, ?, null, 'none', null, ?, ?)`,
  );
  const bump = raw.prepare('update models set write_seq = write_seq + ?, updated_at = ? where id = ?');
  const maxNumber = () => Number((raw.prepare('select max(number) as n from model_versions where model_id = ?').get(modelId) as { n: number | null }).n ?? 0);
  const count = () => Number((raw.prepare('select count(*) as n from model_versions where model_id = ?').get(modelId) as { n: number }).n);
  const start = count();
  let toAdd = Math.max(0, target - start);
  while (toAdd > 0) {
    const n = Math.min(20_000, toAdd);
    // Immediate: requests the load generator gave up on at the end of a run may still be creating
    // versions in the server, so the next number is read under the write lock.
    raw.transaction(() => {
      const current = maxNumber();
      for (let i = 1; i <= n; i++) {
        const t = nowIso();
        insert.run(randomUUID(), modelId, current + i, String(current + i), t, t);
      }
      bump.run(n, nowIso(), modelId);
    }).immediate();
    toAdd -= n;
  }
  const versionsNow = count();
  raw.close();
  return { inserted: versionsNow - start, sec: round((performance.now() - t0) / 1000, 2), versionsNow };
}

async function artifactPhase(tmp: string) {
  const dir = path.join(tmp, 'artifact-server');
  await fs.mkdir(dir, { recursive: true });
  const server = await ServerProcess.start('api', dir);
  try {
    const backend = new HttpBackend({ url: server.url, apiKey: server.adminKey! });
    // Warm-up: the blob routes, the artifact store, the stream machinery.
    for (let i = 0; i < 3; i++) {
      const w = await backend.openBlobWriter();
      await w.write(Buffer.alloc(4 * MB, i + 1));
      const info = await w.commit();
      for await (const _ of (await backend.openBlobReader(info.contentHash)).stream());
    }

    // Sample the server's VmRSS from here every 20 ms as well as its kernel high-water mark.
    const watch = async <T>(fn: () => Promise<T>) => {
      const base = await server.mem(true);
      let peak = base.rss;
      const timer = setInterval(() => {
        const r = procStatusBytes(server.pid, 'VmRSS');
        if (r > peak) peak = r;
      }, 20);
      const t0 = performance.now();
      const value = await fn();
      const sec = (performance.now() - t0) / 1000;
      clearInterval(timer);
      const after = await server.mem(false);
      peak = Math.max(peak, after.rss, base.hwmReset ? after.vmHwm : 0);
      return { value, sec, baseRssMB: round(base.rss / MB, 1), peakRssGrowthMB: round((peak - base.rss) / MB, 1), hwmUsed: base.hwmReset };
    };

    const chunk = Buffer.alloc(CHUNK);
    for (let i = 0; i < CHUNK; i += 4) chunk.writeUInt32LE(((Math.imul(i, 2654435761) ^ 0x5bd1e995) >>> 0), i);
    const localHash = createHash('sha256');
    const up = await watch(async () => {
      const w = await backend.openBlobWriter();
      for (let off = 0, n = 0; off < ARTIFACT_BYTES; off += CHUNK, n++) {
        chunk.writeUInt32LE(n, 0); // every chunk differs
        localHash.update(chunk);
        await w.write(chunk);
      }
      return w.commit();
    });
    const expected = localHash.digest('hex');
    if (up.value.contentHash !== expected || up.value.size !== ARTIFACT_BYTES) throw new Error('uploaded blob does not match');
    const down = await watch(async () => {
      const reader = await backend.openBlobReader(up.value.contentHash);
      const h = createHash('sha256');
      let bytes = 0;
      for await (const c of reader.stream() as AsyncIterable<Buffer>) {
        h.update(c);
        bytes += c.length;
      }
      return { bytes, hash: h.digest('hex') };
    });
    if (down.value.bytes !== ARTIFACT_BYTES || down.value.hash !== expected) throw new Error('downloaded blob does not match');
    const mbps = (sec: number) => round(ARTIFACT_BYTES / MB / sec, 1);
    const result = {
      bytes: ARTIFACT_BYTES,
      upload: { sec: round(up.sec, 2), MBps: mbps(up.sec), serverBaseRssMB: up.baseRssMB, serverPeakRssGrowthMB: up.peakRssGrowthMB },
      download: { sec: round(down.sec, 2), MBps: mbps(down.sec), serverBaseRssMB: down.baseRssMB, serverPeakRssGrowthMB: down.peakRssGrowthMB },
      budget: { maxMB: BUDGET_ARTIFACT_RSS_GROWTH_MB_MAX },
      pass: up.peakRssGrowthMB < BUDGET_ARTIFACT_RSS_GROWTH_MB_MAX && down.peakRssGrowthMB < BUDGET_ARTIFACT_RSS_GROWTH_MB_MAX,
      method: `HttpBackend.openBlobWriter (one streamed POST /blobs, ${CHUNK / MB} MiB writes, sha256 checked by client and server) then openBlobReader().stream() (GET /blobs/{hash}) consumed and hashed here. Server RSS growth = peak over the RSS just before (after gc): /proc/<pid>/status VmRSS sampled every 20 ms${up.hwmUsed ? ', plus the kernel VmHWM after resetting it via /proc/self/clear_refs' : ''}.`,
    };
    console.log(
      `  artifact 1 GB: upload ${result.upload.MBps} MB/s (server RSS +${result.upload.serverPeakRssGrowthMB} MB), download ${result.download.MBps} MB/s (server RSS +${result.download.serverPeakRssGrowthMB} MB)`,
    );
    return result;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAverageAtStart = loadAverageNow();
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'modelplane-bench-server-'));
  let report;
  try {
    const apiDir = path.join(tmp, 'api');
    await fs.mkdir(apiDir, { recursive: true });
    const api = await ServerProcess.start('api', apiDir);
    const bare = await ServerProcess.start('bare', path.join(tmp, 'bare'));
    let small, large, bulk, memAfterLoad;
    try {
      const backend = new HttpBackend({ url: api.url, apiKey: api.adminKey! });
      await backend.createModel({ name: MODEL });
      const v1 = await backend.createModelVersion({ model: MODEL });
      await backend.updateModelVersion(MODEL, String(v1.number), { stage: 'production' });

      console.log(`server bench: ${CONNECTIONS} connections, ${SLICES}×${SLICE_SEC} s per side (after ${WARMUP_SEC} s warm-up), server in a child process, autocannon here`);
      small = await throughputPhase(api, bare, 'small store');
      console.log(`  bulk-inserting versions of "${MODEL}" up to ${HISTORY_VERSIONS} …`);
      bulk = bulkInsertVersions(path.join(apiDir, 'modelplane.db'), HISTORY_VERSIONS);
      large = await throughputPhase(api, bare, `${bulk.versionsNow} versions`);
      memAfterLoad = await api.mem();
    } finally {
      await api.stop();
      await bare.stop();
    }
    const artifact = await artifactPhase(tmp);

    const change = (a: number, b: number) => round((b - a) / a);
    const getChange = change(small.getByStage.rps, large.getByStage.rps);
    const postChange = change(small.createVersion.rps, large.createVersion.rps);
    const checks: Record<string, boolean> = {
      'getRatio[small]': small.getRatio >= BUDGET_GET_RATIO_MIN,
      'getRatio[large]': large.getRatio >= BUDGET_GET_RATIO_MIN,
      'createVersionRps[small]': small.createVersion.rps >= BUDGET_POST_RPS_MIN,
      'createVersionRps[large]': large.createVersion.rps >= BUDGET_POST_RPS_MIN,
      'history.getChange': Math.abs(getChange) < BUDGET_HISTORY_CHANGE_MAX,
      'history.createVersionChange': Math.abs(postChange) < BUDGET_HISTORY_CHANGE_MAX,
      'artifact.serverMemory': artifact.pass,
      noFailedRequests: small.failedRequests + large.failedRequests === 0,
    };
    const failed = Object.entries(checks)
      .filter(([, p]) => !p)
      .map(([n]) => n);
    report = {
      bench: 'server',
      description: 'modelplane REST API (server + SQLite + local artifact store, API-key auth) under autocannon vs a bare hono route, each server in its own child process; loopback, load generator and servers on the same cores',
      machine: machineInfo(loadAverageAtStart),
      date: new Date().toISOString(),
      durationSec: 0,
      config: { connections: CONNECTIONS, sliceSec: SLICE_SEC, slicesPerSide: SLICES, warmupSec: WARMUP_SEC, historyVersions: HISTORY_VERSIONS, artifactBytes: ARTIFACT_BYTES },
      method:
        'GET /api/v1/models/bench/versions/production (Bearer admin key) and GET /x on a bare hono app (@hono/node-server) alternate in slices; req/s = 2xx responses / seconds over all slices of a side. ' +
        'POST /api/v1/model_versions {"model":"bench"} then runs on the same model (each request creates a version). ' +
        `Then versions of the same model are bulk-inserted with raw SQL (rows as the API writes them) until it holds ${HISTORY_VERSIONS}, and everything is measured again. change = (large − small) / small.`,
      results: {
        small,
        bulkInsert: bulk,
        large,
        history: {
          getByStageChange: getChange,
          createVersionChange: postChange,
          budget: { maxAbsChange: BUDGET_HISTORY_CHANGE_MAX },
        },
        budgets: { getRatioMin: BUDGET_GET_RATIO_MIN, createVersionRpsMin: BUDGET_POST_RPS_MIN },
        serverMemoryAfterLoadMB: { rss: round(memAfterLoad.rss / MB, 1), heapUsed: round(memAfterLoad.heapUsed / MB, 1) },
        artifact,
      },
      summary: { allPass: failed.length === 0, checks, failed },
    };
    report.durationSec = round((performance.now() - started) / 1000, 1);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2) + '\n');

  const r = report.results;
  console.log('\nserver bench summary');
  console.log(`  machine: ${report.machine.cpus} cpus, node ${report.machine.node}, load ${report.machine.loadAverageAtStart.join(' ')}; ${report.durationSec} s`);
  for (const [label, p] of [['small store', r.small], [`${r.bulkInsert.versionsNow} versions`, r.large]] as const) {
    console.log(
      `  ${label.padEnd(16)} GET by stage ${String(p.getByStage.rps).padStart(8)} req/s = ${p.getRatio} × bare hono ${p.bareHono.rps} (budget ≥ ${BUDGET_GET_RATIO_MIN}); POST create-version ${p.createVersion.rps} req/s (budget ≥ ${BUDGET_POST_RPS_MIN})`,
    );
  }
  console.log(`  history change: GET ${(r.history.getByStageChange * 100).toFixed(1)} %, POST ${(r.history.createVersionChange * 100).toFixed(1)} % (budget under ±${BUDGET_HISTORY_CHANGE_MAX * 100} %)`);
  console.log(
    `  1 GB artifact: upload ${r.artifact.upload.MBps} MB/s, server RSS +${r.artifact.upload.serverPeakRssGrowthMB} MB; download ${r.artifact.download.MBps} MB/s, server RSS +${r.artifact.download.serverPeakRssGrowthMB} MB (budget < ${BUDGET_ARTIFACT_RSS_GROWTH_MB_MAX} MB)`,
  );
  console.log(report.summary.allPass ? '  all budgets met' : `  FAILED: ${report.summary.failed.join(', ')}`);
  console.log(`  → ${path.relative(REPO_ROOT, RESULTS_FILE)}`);
  process.exitCode = report.summary.allPass ? 0 : 1;
}

if (process.argv[2] === '--child') {
  await serverChild(process.argv[3]!, process.argv[4]!);
} else {
  await main();
}
