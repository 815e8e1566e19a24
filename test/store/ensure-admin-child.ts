/**
 * One "server process" for the first-start race in api-keys.test.ts: opens the store given as argv[2],
 * prints `ready`, waits for `go` on stdin, calls ensureAdminKey once and prints the outcome as JSON.
 */
import { createInterface } from 'node:readline';
import { ApiKeyService } from '../../src/server/auth/api-key-service.js';
import { Store } from '../../src/store/store.js';

const store = await Store.open(process.argv[2]!);
try {
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.on('line', (line) => line.trim() === 'go' && resolve()));
  process.stdout.write('ready\n');
  await go;
  lines.close();
  const created = await new ApiKeyService(store).ensureAdminKey();
  process.stdout.write(`${JSON.stringify({ created: created !== null, id: created?.record.id ?? null })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  process.exitCode = 1;
} finally {
  await store.close();
}
