import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { Client } from '../../src/index.js';
import { startPostgres } from '../support/postgres.js';
import { runBackendContract } from './backend-contract.js';

const postgres = await startPostgres();
afterAll(async () => {
  await postgres?.stop();
});

let counter = 0;

describe.skipIf(!postgres)('PostgreSQL', () => {
  runBackendContract('embedded PostgreSQL', async (actor) => {
    // One fresh database per test: the same isolation as a fresh SQLite file.
    const admin = new pg.Client({ connectionString: postgres!.url });
    await admin.connect();
    const db = `contract_${process.pid}_${++counter}`;
    await admin.query(`create database ${db}`);
    await admin.end();
    const url = new URL(postgres!.url);
    url.pathname = `/${db}`;
    const artifacts = await mkdtemp(path.join(os.tmpdir(), 'mp-contract-pg-'));
    const client = new Client({ database: url.toString(), artifacts, actor });
    return {
      client,
      async cleanup() {
        await client.close();
        await rm(artifacts, { recursive: true, force: true });
      },
    };
  });
});
