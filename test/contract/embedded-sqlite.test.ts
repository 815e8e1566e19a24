import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '../../src/index.js';
import { runBackendContract } from './backend-contract.js';

runBackendContract('embedded SQLite', async (actor) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'mp-contract-'));
  const client = new Client({ home, actor });
  return {
    client,
    async cleanup() {
      await client.close();
      await rm(home, { recursive: true, force: true });
    },
  };
});
