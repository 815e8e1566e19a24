import type BetterSqlite3 from 'better-sqlite3';
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Dialect, type Kysely } from 'kysely';
import { SqliteDriver } from './sqlite-driver.js';

/**
 * SQLite does run DDL inside transactions; Kysely's stock adapter says it does not, which leaves
 * migrations unlocked and lets several processes opening a new store race to create the same tables.
 * Saying yes makes the migrator run in a transaction, which our driver opens with BEGIN IMMEDIATE.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely dialect for better-sqlite3 using {@link SqliteDriver}. */
export class SqliteDialect implements Dialect {
  readonly #open: () => BetterSqlite3.Database;
  #driver: SqliteDriver | undefined;

  constructor(open: () => BetterSqlite3.Database) {
    this.#open = open;
  }

  createDriver(): SqliteDriver {
    this.#driver = new SqliteDriver(this.#open);
    return this.#driver;
  }

  /** The driver's change token (see `SqliteDriver.changeToken`), null until Kysely has created the driver. */
  changeToken(): string | null {
    return this.#driver?.changeToken() ?? null;
  }

  createQueryCompiler(): SqliteQueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): SqliteIntrospector {
    return new SqliteIntrospector(db);
  }
}
