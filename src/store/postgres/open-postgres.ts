import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database as Schema } from '../schema.js';
import type { DialectCapabilities } from '../dialect-capabilities.js';
import { postgresCapabilities } from './postgres-capabilities.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Counts, sums and bigint columns arrive as strings from pg; every value we store fits in a double.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Opens a connection pool to a PostgreSQL database given as a `postgres://` URL. */
export function openPostgres(url: string, options: { poolSize?: number } = {}): { db: Kysely<Schema>; capabilities: DialectCapabilities } {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: types as pg.CustomTypesConfig });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return { db: new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), capabilities: postgresCapabilities };
}
