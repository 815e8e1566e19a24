import { existsSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, makeTempDir, startPostgres, TEST_DATABASE, type ServiceHandle } from './postgres.js';

// Started at module level so the suite can be skipped when PostgreSQL is missing (throws under CI);
// stopped in afterAll so the cluster goes away even when a test fails.
const postgres = await startPostgres();
afterAll(async () => {
  await postgres?.stop();
});

function cluster(): ServiceHandle {
  if (!postgres) throw new Error('PostgreSQL is not running');
  return postgres;
}

describe('freePort / makeTempDir', () => {
  it('gives a loopback port that can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('creates and removes a temp folder', async () => {
    const dir = await makeTempDir('modelplane-test-');
    expect(existsSync(dir.path)).toBe(true);
    await dir.remove();
    await dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });
});

describe.skipIf(!postgres)('startPostgres', () => {
  it('returns a URL to a database that answers queries', async () => {
    const { url, port } = cluster();
    expect(url).toBe(`postgres://postgres@127.0.0.1:${port}/${TEST_DATABASE}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query<{ one: number; db: string }>('select 1 as one, current_database() as db');
      expect(result.rows).toEqual([{ one: 1, db: TEST_DATABASE }]);
    } finally {
      await client.end();
    }
  });

  it('stop() shuts the cluster down and removes its folder (and may be called again)', async () => {
    const { url, dir, stop } = cluster();
    await stop();
    expect(existsSync(dir)).toBe(false);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    await expect(client.connect()).rejects.toThrow();
    await stop(); // afterAll calls it once more: must be a no-op
  });
});
