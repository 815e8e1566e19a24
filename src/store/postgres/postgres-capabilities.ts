import type { DialectCapabilities, StoreErrorKind } from '../dialect-capabilities.js';
import { postgresJsonNumberAt, postgresJsonPathCounts, postgresJsonTextAt } from './postgres-json.js';

function classifyError(error: unknown): StoreErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23505') return 'unique';
  if (code === '23503') return 'foreign_key';
  // serialization failure, deadlock, lock timeout: safe to retry the whole transaction.
  if (code === '40001' || code === '40P01' || code === '55P03') return 'busy';
  return 'other';
}

/** Capabilities of the PostgreSQL dialect. */
export const postgresCapabilities: DialectCapabilities = {
  displayName: 'PostgreSQL',
  autoIncrementType: 'bigint',
  autoIncrement: (col) => col.primaryKey().generatedByDefaultAsIdentity(),
  classifyError,
  multiProcessWriters: true,
  // PostgreSQL checks its own pages; the registry's invariants are checked by the caller.
  checkIntegrity: async () => [],
  jsonNumberAt: postgresJsonNumberAt,
  jsonTextAt: postgresJsonTextAt,
  jsonPathCounts: postgresJsonPathCounts,
};
