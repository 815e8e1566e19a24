/**
 * The GET-by-selector fast path (`src/server/hot-reads.ts`) against the hono route it stands in front of:
 * the same answers byte for byte (200s from the fast path; everything else from hono), answers that
 * follow every change — our own writes, another connection's writes on the same SQLite file, revoked
 * keys — and correct answers on PostgreSQL, where nothing is reused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../../src/backend/embedded-backend.js';
import { createApp } from '../../src/server/app.js';
import { ApiKeyService } from '../../src/server/auth/api-key-service.js';
import { withHotReads } from '../../src/server/hot-reads.js';
import { Store } from '../../src/store/store.js';
import { startPostgres } from '../support/postgres.js';

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One backend served twice: through the fast path (`fast`) and by the hono app alone (`plain`). */
async function servePair(database: string, dir: string, withAuth: boolean) {
  const backend = await EmbeddedBackend.open({ database, artifacts: path.join(dir, 'artifacts'), actor: 'test' });
  const auth = withAuth ? new ApiKeyService(backend.store) : null;
  const listener = getRequestListener(createApp({ backend, auth }).fetch);
  const counted = { hono: 0 };
  const fastServer = createServer(withHotReads((req, res) => (counted.hono++, listener(req, res)), { backend, auth }));
  const plainServer = createServer(listener);
  const [fast, plain] = [await listen(fastServer), await listen(plainServer)];
  const get = async (base: string, url: string, key?: string): Promise<Answer> => {
    const res = await fetch(base + url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  return {
    backend,
    auth,
    counted,
    fast: (url: string, key?: string) => get(fast, url, key),
    plain: (url: string, key?: string) => get(plain, url, key),
    async close() {
      await Promise.all([fastServer, plainServer].map((s) => new Promise((r) => s.close(r))));
      await backend.close();
    },
  };
}

describe('hot reads on SQLite', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-hot-'));
  const database = `sqlite://${path.join(dir, 'modelplane.db')}`;
  let pair: Awaited<ReturnType<typeof servePair>>;
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    pair = await servePair(database, dir, true);
    admin = (await pair.auth!.create({ name: 'admin-test', role: 'admin' })).key;
    viewer = (await pair.auth!.create({ name: 'viewer-test', role: 'viewer' })).key;
    const b = pair.backend;
    await b.createModel({ name: 'iris' });
    await b.createModel({ name: 'with space' });
    for (let i = 0; i < 3; i++) await b.createModelVersion({ model: 'iris', name: i === 2 ? 'best-one' : undefined });
    await b.createModelVersion({ model: 'with space' });
    await b.updateModelVersion('iris', 1, { stage: 'production' });
    await b.logMetadata({ type: 'model_version', id: (await b.getModelVersion('iris', 1)).id }, { accuracy: 0.9, nested: { a: [1, 2] } });
  });

  afterAll(async () => {
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers exactly what the hono route answers, for hits, misses and errors', async () => {
    const id = (await pair.backend.getModelVersion('iris', 2)).id;
    const urls = [
      '/api/v1/models/iris/versions/production',
      '/api/v1/models/iris/versions/latest',
      '/api/v1/models/iris/versions/2',
      '/api/v1/models/iris/versions/best-one',
      `/api/v1/models/iris/versions/${id}`,
      '/api/v1/models/iris/versions/staging', // nobody holds it: 404
      '/api/v1/models/iris/versions/99',
      '/api/v1/models/nope/versions/production',
      '/api/v1/models/with%20space/versions/latest', // not the fast path's alphabet: hono answers
      '/api/v1/models/iris/versions/..',
      '/api/v1/models/iris/versions/production?x=1',
    ];
    for (const url of urls) {
      for (const key of [admin, viewer, undefined, 'mp_not-a-key']) {
        // Twice on the fast side: the second answer may come from its cache.
        const [first, second, plain] = [await pair.fast(url, key), await pair.fast(url, key), await pair.plain(url, key)];
        expect(first, `${url} with ${key ? key.slice(0, 6) : 'no key'}`).toEqual(plain);
        expect(second).toEqual(plain);
      }
    }
    const before = pair.counted.hono;
    expect((await pair.fast('/api/v1/models/iris/versions/production', viewer)).status).toBe(200);
    expect(pair.counted.hono, 'a 200 by selector never reaches hono').toBe(before);
    expect((await pair.fast('/api/v1/models/iris/versions/production')).status).toBe(401);
  });

  it('follows our own writes', async () => {
    const read = async () => JSON.parse((await pair.fast('/api/v1/models/iris/versions/production', admin)).body) as { number: number; runMetadata: Record<string, { value: unknown }> };
    expect((await read()).number).toBe(1);
    await pair.backend.updateModelVersion('iris', 3, { stage: 'production', force: true });
    expect((await read()).number).toBe(3);
    await pair.backend.logMetadata({ type: 'model_version', id: (await pair.backend.getModelVersion('iris', 3)).id }, { accuracy: 0.97 });
    expect((await read()).runMetadata.accuracy?.value).toBe(0.97);
  });

  it('follows writes committed by another connection (another process) on the same file', async () => {
    const other = await EmbeddedBackend.open({ database, artifacts: path.join(dir, 'artifacts'), actor: 'other' });
    try {
      const read = async () => (JSON.parse((await pair.fast('/api/v1/models/iris/versions/production', admin)).body) as { number: number }).number;
      const before = await read();
      const target = before === 2 ? 1 : 2;
      await other.updateModelVersion('iris', target, { stage: 'production', force: true });
      expect(await read()).toBe(target);
      await other.updateModelVersion('iris', target, { description: 'changed elsewhere' });
      expect(JSON.parse((await pair.fast('/api/v1/models/iris/versions/production', admin)).body).description).toBe('changed elsewhere');
    } finally {
      await other.close();
    }
  });

  it('stops answering a revoked key', async () => {
    const { key, record } = await pair.auth!.create({ name: 'short-lived', role: 'viewer' });
    expect((await pair.fast('/api/v1/models/iris/versions/production', key)).status).toBe(200);
    await pair.auth!.revoke(record.id);
    const after = await pair.fast('/api/v1/models/iris/versions/production', key);
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body).error.code).toBe('authentication_error');
  });
});

describe('Store.changeToken', () => {
  it('moves on our writes and on other connections’ commits, not on reads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-token-'));
    const url = `sqlite://${path.join(dir, 'm.db')}`;
    const [a, b] = [await Store.open(url), await Store.open(url)];
    try {
      const t0 = a.changeToken();
      expect(t0).not.toBeNull();
      await a.db.selectFrom('models').selectAll().execute();
      expect(a.changeToken()).toBe(t0);
      await b.db.insertInto('models').values({ id: 'm1', name: 'x', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' } as never).execute();
      const t1 = a.changeToken();
      expect(t1).not.toBe(t0);
      await a.db.updateTable('models').set({ name: 'y' }).execute();
      expect(a.changeToken()).not.toBe(t1);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const postgres = await startPostgres();

describe.skipIf(!postgres)('hot reads on PostgreSQL (nothing reused)', () => {
  it('has no change token and still answers like the hono route after changes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-hot-pg-'));
    const pair = await servePair(postgres!.url, dir, false);
    try {
      expect(pair.backend.changeToken()).toBeNull();
      await pair.backend.createModel({ name: `pg-hot-${process.pid}` });
      const model = `pg-hot-${process.pid}`;
      await pair.backend.createModelVersion({ model });
      await pair.backend.createModelVersion({ model });
      await pair.backend.updateModelVersion(model, 1, { stage: 'production' });
      const url = `/api/v1/models/${model}/versions/production`;
      expect(await pair.fast(url)).toEqual(await pair.plain(url));
      await pair.backend.updateModelVersion(model, 2, { stage: 'production', force: true });
      const after = await pair.fast(url);
      expect(JSON.parse(after.body).number).toBe(2);
      expect(after).toEqual(await pair.plain(url));
    } finally {
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
      await postgres!.stop();
    }
  });
});
