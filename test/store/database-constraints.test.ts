/**
 * The registry's uniqueness rules live in the database itself: a writer that bypasses modelplane's
 * code (a script, a second server, a bug) still cannot break them. Checked with raw SQL on both dialects.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { startPostgres } from '../support/postgres.js';

const postgres = await startPostgres();
afterAll(async () => {
  await postgres?.stop();
});

async function seed(store: Store) {
  const now = new Date().toISOString();
  const modelId = randomUUID();
  await store.db.insertInto('models').values({ id: modelId, name: `m-${modelId}`, license: null, description: null, audience: null, use_cases: null, limitations: null, trade_offs: null, ethics: null, created_at: now, updated_at: now, write_seq: 0 }).execute();
  const version = (n: number, stage = 'none') => ({ id: randomUUID(), model_id: modelId, number: n, name: String(n), description: null, stage, stage_changed_at: null, created_at: now, updated_at: now });
  return { modelId, version };
}

function constraintSuite(label: string, open: () => Promise<{ store: Store; done(): Promise<void> }>) {
  describe(`database constraints: ${label}`, () => {
    it('enforces one staging and one production holder per model, any number archived', async () => {
      const { store, done } = await open();
      try {
        const { version } = await seed(store);
        await store.db.insertInto('model_versions').values([version(1, 'production'), version(2, 'staging'), version(3, 'archived'), version(4, 'archived')]).execute();
        await expect(store.db.insertInto('model_versions').values(version(5, 'production')).execute()).rejects.toSatisfy((e) => store.capabilities.classifyError(e) === 'unique');
        await expect(store.db.updateTable('model_versions').set({ stage: 'staging' }).where('number', '=', 3).execute()).rejects.toSatisfy((e) => store.capabilities.classifyError(e) === 'unique');
        // Another model may have its own production holder.
        const other = await seed(store);
        await store.db.insertInto('model_versions').values(other.version(1, 'production')).execute();
      } finally {
        await done();
      }
    });

    it('enforces unique model names, (model, number), (model, name), (artifact, version) and valid stages', async () => {
      const { store, done } = await open();
      try {
        const { modelId, version } = await seed(store);
        const name = (await store.db.selectFrom('models').select('name').where('id', '=', modelId).executeTakeFirstOrThrow()).name;
        const now = new Date().toISOString();
        const isUnique = (e: unknown) => store.capabilities.classifyError(e) === 'unique';
        await expect(store.db.insertInto('models').values({ id: randomUUID(), name, license: null, description: null, audience: null, use_cases: null, limitations: null, trade_offs: null, ethics: null, created_at: now, updated_at: now, write_seq: 0 }).execute()).rejects.toSatisfy(isUnique);
        await store.db.insertInto('model_versions').values(version(1)).execute();
        await expect(store.db.insertInto('model_versions').values({ ...version(1), name: 'other' }).execute()).rejects.toSatisfy(isUnique);
        await expect(store.db.insertInto('model_versions').values({ ...version(2), name: '1' }).execute()).rejects.toSatisfy(isUnique);
        await expect(store.db.insertInto('model_versions').values(version(3, 'latest')).execute()).rejects.toThrow();
        const artifactId = randomUUID();
        await store.db.insertInto('artifacts').values({ id: artifactId, name: 'a', created_at: now, write_seq: 0 }).execute();
        const av = () => ({ id: randomUUID(), artifact_id: artifactId, version: 1, type: 'data', uri: 'x', content_hash: 'h', size: 1, materializer: 'json', data_type: 'json', producer_run_id: null, producer_step_run_id: null, created_at: now });
        await store.db.insertInto('artifact_versions').values(av()).execute();
        await expect(store.db.insertInto('artifact_versions').values(av()).execute()).rejects.toSatisfy(isUnique);
        await expect(store.db.insertInto('artifact_versions').values({ ...av(), version: 2, type: 'weights' }).execute()).rejects.toThrow();
        expect(await store.capabilities.checkIntegrity(store.db)).toEqual([]);
      } finally {
        await done();
      }
    });
  });
}

constraintSuite('SQLite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-constraints-'));
  const store = await Store.open(`sqlite://${path.join(dir, 'db.sqlite')}`);
  return {
    store,
    async done() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe.skipIf(!postgres)('PostgreSQL', () => {
  constraintSuite('PostgreSQL', async () => {
    const store = await Store.open(postgres!.url);
    return { store, done: () => store.close() };
  });
});

describe('store settings', () => {
  it('maps durability to SQLite synchronous and opens only known URL schemes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-durability-'));
    try {
      for (const [durability, expected] of [['process', 1], ['full', 2]] as const) {
        const store = await Store.open(path.join(dir, `${durability}.db`), { durability });
        const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
        expect(rows[0]!.synchronous).toBe(expected);
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
        expect(mode.rows[0]!.journal_mode).toBe('wal');
        await store.close();
      }
      await expect(Store.open('mysql://localhost/x')).rejects.toThrow(/Unsupported database URL "mysql:\/\/…"/);
      await expect(Store.open('sqlite://')).rejects.toThrow(/names no file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
