import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { Client, EmbeddedBackend } from '../../src/index.js';
import { startS3 } from '../support/s3.js';
import { runBackendContract } from './backend-contract.js';

// s3rver is an npm dev dependency: never missing, so this suite never skips.
const s3 = await startS3();
afterAll(async () => {
  await s3.stop();
});

let counter = 0;

runBackendContract('embedded SQLite + S3 artifacts', async (actor) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'mp-contract-s3-'));
  // One prefix per test: the same isolation as a fresh artifact folder.
  const backend = await EmbeddedBackend.open({
    database: `sqlite://${path.join(home, 'modelplane.db')}`,
    artifacts: `s3://${s3.bucket}/contract-${process.pid}-${++counter}`,
    s3: s3.options,
    actor,
  });
  const client = new Client({ backend, home, actor });
  return {
    client,
    async cleanup() {
      await client.close();
      await rm(home, { recursive: true, force: true });
    },
  };
});
