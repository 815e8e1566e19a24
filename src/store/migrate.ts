import { Migrator, type Kysely, type Migration } from 'kysely';
import type { DialectCapabilities } from './dialect-capabilities.js';
import * as initial from './migrations/001-initial.js';
import type { Database } from './schema.js';

/**
 * Brings the schema up to date. Migrations are listed here in code (not read from a folder) so that
 * they work the same from `src/`, from `dist/` and inside a bundled CLI.
 */
export async function migrate(db: Kysely<Database>, caps: DialectCapabilities): Promise<void> {
  const migrations: Record<string, Migration> = {
    '001_initial': { up: (d) => initial.up(d, caps) },
  };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'modelplane_migrations',
    migrationLockTableName: 'modelplane_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
