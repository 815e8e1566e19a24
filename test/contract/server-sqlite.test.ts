/**
 * The contract suite, unchanged, through HTTP: `new Client({ url, apiKey })` → REST API → server on
 * SQLite + local disk, with authentication on. Each test gets its own server on a fresh store (a start
 * costs a few tens of milliseconds), and an admin key named "alice" so that the stage history records
 * the actor the suite expects.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '../../src/index.js';
import { startServer } from '../../src/server/start-server.js';
import { runBackendContract } from './backend-contract.js';
import { createKey } from './server-helpers.js';

runBackendContract('server + SQLite + local disk (HTTP)', async (actor) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'mp-contract-http-'));
  const server = await startServer({
    database: `sqlite://${path.join(home, 'modelplane.db')}`,
    artifactStore: `file://${path.join(home, 'artifacts')}`,
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
      await rm(home, { recursive: true, force: true });
    },
  };
});
