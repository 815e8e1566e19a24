import { Migrator, type Kysely, type Migration } from 'kysely';
import type { DialectCapabilities } from './dialect-capabilities.js';
import * as initial from './migrations/001-initial.js';
import * as apiKeys from './migrations/002-api-keys.js';
import type { Database } from './schema.js';

/**
 * Brings the schema up to date. Migrations are listed here in code (not read from a folder) so that
 * they work the same from `src/`, from `dist/` and inside a bundled CLI.
 */
export async function migrate(db: Kysely<Database>, caps: DialectCapabilities): Promise<void> {
  const migrations: Record<string, Migration> = {
    '001_initial': { up: (d) => initial.up(d, caps) },
    '002_api_keys': { up: (d) => apiKeys.up(d) },
  };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'modelplane_migrations',
    migrationLockTableName: 'modelplane_migrations_lock',
  });
  // Processes opening a new store at once race while Kysely creates its bookkeeping tables and lock
  // row (outside any transaction); the loser sees a unique violation or a busy lock. Trying again finds
  // everything in place, and the migrations themselves run in a locked transaction.
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return;
    const kind = caps.classifyError(error);
    if (attempt >= 5 || (kind !== 'unique' && kind !== 'busy' && !/already exists/i.test(String((error as Error).message)))) {
      throw error instanceof Error ? error : new Error(String(error));
    }
    await new Promise((r) => setTimeout(r, 10 * attempt * Math.random()));
  }
}
