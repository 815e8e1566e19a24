import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/** Statements are prepared once and reused: preparing costs as much as running a small insert. */
const STATEMENT_CACHE_SIZE = 500;

class SqliteConnection implements DatabaseConnection {
  readonly #db: BetterSqlite3.Database;
  readonly #cache = new Map<string, BetterSqlite3.Statement>();
  readonly #dataVersion: BetterSqlite3.Statement;
  /** Statements through this connection that may have changed data (PRAGMA data_version ignores our own). */
  #writes = 0;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /**
   * Changes whenever committed data may have changed: `PRAGMA data_version` moves when another
   * connection (any process) commits, and our own write statements are counted here. Equal tokens
   * taken at two moments mean no commit happened in between.
   */
  changeToken(): string {
    return `${this.#dataVersion.get() as number}:${this.#writes}`;
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.#cache.get(sql);
    if (stmt) return stmt;
    // The registry issues a few dozen distinct statements; a cache that overflows (ad-hoc filters) is
    // simply emptied rather than kept in LRU order, which would cost every hit a re-insertion.
    if (this.#cache.size >= STATEMENT_CACHE_SIZE) this.#cache.clear();
    stmt = this.#db.prepare(sql);
    this.#cache.set(sql, stmt);
    return stmt;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const stmt = this.#prepare(compiledQuery.sql);
      const params = compiledQuery.parameters as unknown[];
      if (stmt.reader) return Promise.resolve({ rows: stmt.all(...params) as R[] });
      this.#writes++;
      const { changes, lastInsertRowid } = stmt.run(...params);
      return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const stmt = this.#prepare(compiledQuery.sql);
    for (const row of stmt.iterate(...(compiledQuery.parameters as unknown[]))) yield { rows: [row as R] };
  }

  exec(sql: string): void {
    this.#writes++;
    this.#db.exec(sql);
  }
}

/**
 * Kysely driver over one better-sqlite3 connection. Unlike Kysely's stock driver it caches prepared
 * statements and opens write transactions with `BEGIN IMMEDIATE`, so a transaction takes the write
 * lock before its first read and never fails half-way with SQLITE_BUSY when another process writes.
 */
export class SqliteDriver implements Driver {
  readonly #open: () => BetterSqlite3.Database;
  #db: BetterSqlite3.Database | undefined;
  #connection: SqliteConnection | undefined;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(open: () => BetterSqlite3.Database) {
    this.#open = open;
  }

  async init(): Promise<void> {
    this.#db = this.#open();
    this.#connection = new SqliteConnection(this.#db);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection per process: callers queue for it, which also serializes transactions in-process.
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return this.#connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as SqliteConnection).exec('BEGIN IMMEDIATE');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as SqliteConnection).exec('COMMIT');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#db?.inTransaction) (connection as SqliteConnection).exec('ROLLBACK');
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  /** See `SqliteConnection.changeToken`; null before `init` and after `destroy`. */
  changeToken(): string | null {
    return this.#db?.open ? this.#connection!.changeToken() : null;
  }

  async destroy(): Promise<void> {
    this.#db?.close();
    this.#db = undefined;
  }
}
