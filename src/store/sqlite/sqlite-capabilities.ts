import { sql } from 'kysely';
import type { DialectCapabilities, StoreErrorKind } from '../dialect-capabilities.js';
import { sqliteJsonNumberAt, sqliteJsonPathCounts, sqliteJsonTextAt } from './sqlite-json.js';

function classifyError(error: unknown): StoreErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'other';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  return 'other';
}

/** Capabilities of the SQLite dialect. */
export const sqliteCapabilities: DialectCapabilities = {
  displayName: 'SQLite',
  autoIncrementType: 'integer',
  autoIncrement: (col) => col.primaryKey().autoIncrement(),
  classifyError,
  multiProcessWriters: true,
  async checkIntegrity(db) {
    const problems: string[] = [];
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    for (const row of integrity.rows) if (row.integrity_check !== 'ok') problems.push(row.integrity_check);
    const fk = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(db);
    for (const row of fk.rows) problems.push(`foreign key violation: ${JSON.stringify(row)}`);
    return problems;
  },
  jsonNumberAt: sqliteJsonNumberAt,
  jsonTextAt: sqliteJsonTextAt,
  jsonPathCounts: sqliteJsonPathCounts,
};
