/**
 * Restarting the server during a write load loses no acknowledged write. A `modelplane server`
 * process (SQLite, and PostgreSQL when installed) takes a load of concurrent clients, each creating
 * versions and logging metadata on them in a loop and recording every ACKNOWLEDGED write (a resolved
 * call). Mid-load the server is stopped with SIGTERM (graceful: it must exit 0) and restarted on the same
 * port, then killed with SIGKILL and restarted again; the load goes on throughout, its calls failing
 * while no server listens. Afterwards every acknowledged version exists with every acknowledged
 * metadata value, version numbers have no duplicates, and the integrity check is clean. Calls that
 * failed or were in flight may or may not have happened.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, type ModelVersion } from '../../src/index.js';
import { makeTempDir, startPostgres } from '../support/postgres.js';
import { newAdminKey, startServerProcess, type ServerProcess } from './server-process.js';

const postgres = await startPostgres();
afterAll(async () => {
  await postgres?.stop();
});

const WRITERS = 6;
/** Acknowledged writes to wait for before each kill and after each restart. */
const ACKS_PER_PHASE = 40;
const PHASE_TIMEOUT_MS = 15_000;

interface AckedVersion {
  id: string;
  number: number;
  /** Metadata key → value, for each acknowledged logMetadata on this version. */
  metadata: Map<string, number>;
}

interface Load {
  acked: AckedVersion[];
  acks: () => number;
  failures: string[];
  stop(): Promise<void>;
}

function startLoad(url: string, apiKey: string, model: string): Load {
  const acked: AckedVersion[] = [];
  const failures: string[] = [];
  let acks = 0;
  let stopping = false;
  const loops = Array.from({ length: WRITERS }, async (_, w) => {
    const client = new Client({ url, apiKey });
    let seq = 0;
    const backoff = () => new Promise((resolve) => setTimeout(resolve, 20));
    try {
      while (!stopping) {
        let version: ModelVersion;
        try {
          version = await client.createModelVersion({ model });
        } catch (error) {
          failures.push(String(error));
          await backoff();
          continue;
        }
        const entry: AckedVersion = { id: version.id, number: version.number, metadata: new Map() };
        acked.push(entry);
        acks++;
        for (let m = 0; m < 2 && !stopping; m++) {
          const key = `w${w}_${seq++}`;
          try {
            await client.logMetadata({ modelVersionId: version.id, metadata: { [key]: seq } });
            entry.metadata.set(key, seq);
            acks++;
          } catch (error) {
            failures.push(String(error));
            await backoff();
          }
        }
      }
    } finally {
      await client.close();
    }
  });
  return {
    acked,
    acks: () => acks,
    failures,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

async function waitForAcks(load: Load, more: number, what: string): Promise<void> {
  const target = load.acks() + more;
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (load.acks() < target) {
    if (Date.now() > deadline) throw new Error(`${what}: only ${load.acks()} of ${target} acknowledged writes after ${PHASE_TIMEOUT_MS} ms; failures: ${load.failures.slice(-3).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function allVersions(client: Client, model: string): Promise<ModelVersion[]> {
  const out: ModelVersion[] = [];
  for (let page = 1; ; page++) {
    const p = await client.listModelVersions({ model, page, size: 100 });
    out.push(...p.items);
    if (p.items.length === 0 || out.length >= p.total) return out;
  }
}

interface Case {
  name: string;
  available: boolean;
  store(): Promise<{ database: string; artifactStore: string; cleanup(): Promise<void> }>;
}

const cases: Case[] = [
  {
    name: 'SQLite',
    available: true,
    async store() {
      const dir = await makeTempDir('modelplane-restart-');
      return { database: `sqlite://${path.join(dir.path, 'registry.db')}`, artifactStore: `file://${path.join(dir.path, 'artifacts')}`, cleanup: () => dir.remove() };
    },
  },
  {
    name: 'PostgreSQL',
    available: postgres !== null,
    async store() {
      const dir = await makeTempDir('modelplane-restart-pg-');
      const name = `restart_${process.pid}`;
      const admin = new pg.Client({ connectionString: postgres!.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const url = new URL(postgres!.url);
      url.pathname = `/${name}`;
      return { database: url.toString(), artifactStore: `file://${path.join(dir.path, 'artifacts')}`, cleanup: () => dir.remove() };
    },
  },
];

describe.each(cases)('server on $name restarted under a write load', ({ name, available, store: openStore }) => {
  it.skipIf(!available)(`loses no acknowledged write across SIGTERM and SIGKILL restarts (${name})`, async () => {
    const store = await openStore();
    const adminKey = newAdminKey();
    let server: ServerProcess | undefined;
    let load: Load | undefined;
    try {
      server = await startServerProcess({ database: store.database, artifactStore: store.artifactStore, adminKey });
      const { url, port } = server;
      const setup = new Client({ url, apiKey: adminKey });
      await setup.createModel({ name: 'load' });
      await setup.close();

      load = startLoad(url, adminKey, 'load');
      await waitForAcks(load, ACKS_PER_PHASE, 'before SIGTERM');

      // Graceful: in-flight requests finish, the stores close, exit 0.
      expect(await server.kill('SIGTERM')).toBe(0);
      server = await startServerProcess({ database: store.database, artifactStore: store.artifactStore, adminKey, port });
      await waitForAcks(load, ACKS_PER_PHASE, 'after the SIGTERM restart');

      // Crash: whatever was in flight is cut off.
      await server.kill('SIGKILL');
      server = await startServerProcess({ database: store.database, artifactStore: store.artifactStore, adminKey, port });
      await waitForAcks(load, ACKS_PER_PHASE, 'after the SIGKILL restart');
      await load.stop();

      const check = new Client({ url, apiKey: adminKey });
      try {
        const stored = new Map((await allVersions(check, 'load')).map((v) => [v.id, v]));
        const lost: string[] = [];
        for (const a of load.acked) {
          const v = stored.get(a.id);
          if (!v) {
            lost.push(`version ${a.number} (${a.id})`);
            continue;
          }
          expect(v.number).toBe(a.number);
          for (const [key, value] of a.metadata) {
            if (v.runMetadata[key]?.value !== value) lost.push(`metadata ${key}=${value} of version ${a.number}`);
          }
        }
        expect(lost).toEqual([]);
        const numbers = [...stored.values()].map((v) => v.number);
        expect(new Set(numbers).size).toBe(numbers.length);
        expect(await (await check.backend()).checkIntegrity()).toEqual([]);
        // The restarts really happened under load: calls failed while no server listened.
        expect(load.failures.length).toBeGreaterThan(0);
        // …and only as transport errors: the server never answered a call with an error (no 5xx while closing).
        expect(load.failures.filter((f) => !f.includes('Cannot reach the modelplane server'))).toEqual([]);
        console.log(
          `[restart ${name}] ${load.acked.length} versions and ${load.acks() - load.acked.length} metadata writes acknowledged, ${load.failures.length} calls failed during restarts, ${stored.size} versions stored`,
        );
        const kinds = new Map<string, number>();
        for (const f of load.failures) {
          const kind = f.replace(/[0-9a-f-]{36}|\d+/g, '#');
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        }
        console.log(`[restart ${name}] failures by kind:`, Object.fromEntries(kinds));
      } finally {
        await check.close();
      }
      expect(await server.kill('SIGTERM')).toBe(0);
    } finally {
      await load?.stop();
      await server?.kill('SIGKILL');
      await store.cleanup();
    }
  }, 60_000);
});
