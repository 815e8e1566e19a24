import type { ColumnDefinitionBuilder, Expression, Kysely, RawBuilder } from 'kysely';
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
  /**
   * SQL for the value at `path` (object keys) inside the JSON text `json`: a double when it is a JSON
   * number, otherwise NULL (absent, or another type).
   */
  jsonNumberAt(json: Expression<string>, path: readonly string[]): RawBuilder<number | null>;
  /** SQL for the value at `path` inside the JSON text `json` as text when it is a JSON string or boolean, otherwise NULL. */
  jsonTextAt(json: Expression<string>, path: readonly string[]): RawBuilder<string | null>;
  /**
   * SQL that lists every path of the JSON texts in `source` (a query with columns `key` and `value`):
   * the key itself, then `key.field…` into nested objects, down to `maxDepth` segments, grouped as
   * rows `{ path, type, count }` with `type` one of number, string, boolean, object, array, null.
   */
  jsonPathCounts(source: RawBuilder<{ key: string; value: string }>, maxDepth: number): RawBuilder<JsonPathCount>;
}

/** One row of {@link DialectCapabilities.jsonPathCounts}. */
export interface JsonPathCount {
  path: string;
  type: string;
  /** A string on PostgreSQL (bigint). */
  count: number | string;
}
