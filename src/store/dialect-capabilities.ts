import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** What a database error means for the registry, independent of the dialect that raised it. */
export type StoreErrorKind = 'unique' | 'foreign_key' | 'busy' | 'other';

/**
 * What differs between the SQL dialects, expressed as data and small functions so that code outside
 * a dialect's folder never asks which dialect it runs on.
 */
export interface DialectCapabilities {
  /** Display name, e.g. for `modelplane status`. */
  readonly displayName: string;
  /** Column type of an auto-increment primary key. */
  readonly autoIncrementType: 'integer' | 'bigint';
  /** Turns a column into an auto-increment primary key. */
  autoIncrement(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Classifies a driver error so that callers can map it to a `ModelplaneError` or retry. */
  classifyError(error: unknown): StoreErrorKind;
  /** True when several OS processes may write to the store at once (always true here; kept explicit). */
  readonly multiProcessWriters: boolean;
  /** Integrity check for tests and `modelplane doctor`: returns problems found (empty when healthy). */
  checkIntegrity(db: Kysely<Database>): Promise<string[]>;
}
