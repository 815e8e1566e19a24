import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import type { Database as Schema } from '../schema.js';
import { sqliteCapabilities } from './sqlite-capabilities.js';
import { SqliteDialect } from './sqlite-dialect.js';
import type { DialectCapabilities } from '../dialect-capabilities.js';
import type { Durability } from '../../domain/durability.js';

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

/**
 * Opens (creating if needed) a SQLite database file with the settings the registry relies on: WAL for
 * concurrent readers and writers in several processes, foreign keys on, and `synchronous` NORMAL
 * (commits survive any process crash) or FULL (commits also survive power loss) per `durability`.
 */
export function openSqlite(path: string, durability: Durability): { db: Kysely<Schema>; capabilities: DialectCapabilities; changeToken: () => string | null } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const open = () => {
    const conn = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    conn.pragma('journal_mode = WAL');
    conn.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    conn.pragma('foreign_keys = ON');
    return conn;
  };
  const dialect = new SqliteDialect(open);
  return { db: new Kysely<Schema>({ dialect }), capabilities: sqliteCapabilities, changeToken: () => dialect.changeToken() };
}
