/**
 * The contract suite, unchanged, through HTTP against a server on PostgreSQL + S3 (s3rver), both
 * started by the test. Each test gets a fresh database and S3 prefix, and its own server on them.
 * Skipped (with the reason printed by startPostgres) when PostgreSQL is not installed, except under CI.
 */
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { Client } from '../../src/index.js';
import { startServer } from '../../src/server/start-server.js';
import { startPostgres } from '../support/postgres.js';
import { startS3 } from '../support/s3.js';
import { runBackendContract } from './backend-contract.js';
import { createKey } from './server-helpers.js';

const postgres = await startPostgres();
const s3 = postgres ? await startS3() : null;
afterAll(async () => {
  await s3?.stop();
  await postgres?.stop();
});

let counter = 0;

describe.skipIf(!postgres)('server on PostgreSQL + S3', () => {
  runBackendContract('server + PostgreSQL + S3 (HTTP)', async (actor) => {
    const n = ++counter;
    const admin = new pg.Client({ connectionString: postgres!.url });
    await admin.connect();
    const db = `server_contract_${process.pid}_${n}`;
    await admin.query(`create database ${db}`);
    await admin.end();
    const url = new URL(postgres!.url);
    url.pathname = `/${db}`;
    const server = await startServer({
      database: url.toString(),
      artifactStore: `s3://${s3!.bucket}/server-contract-${process.pid}-${n}`,
      s3: s3!.options,
      port: 0,
      auth: true,
    });
    const apiKey = await createKey(server.url, server.adminKey!, actor, 'admin');
    const client = new Client({ url: server.url, apiKey });
    return {
      client,
      async cleanup() {
        await client.close();
        await server.close();
      },
    };
  });
});
