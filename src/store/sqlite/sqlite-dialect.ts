import type BetterSqlite3 from 'better-sqlite3';
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Dialect, type Kysely } from 'kysely';
import { SqliteDriver } from './sqlite-driver.js';

/** Kysely dialect for better-sqlite3 using {@link SqliteDriver}. */
export class SqliteDialect implements Dialect {
  readonly #open: () => BetterSqlite3.Database;

  constructor(open: () => BetterSqlite3.Database) {
    this.#open = open;
  }

  createDriver(): SqliteDriver {
    return new SqliteDriver(this.#open);
  }

  createQueryCompiler(): SqliteQueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): SqliteAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): SqliteIntrospector {
    return new SqliteIntrospector(db);
  }
}
