import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_DURABILITY, type Durability } from '../domain/durability.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { DialectCapabilities } from './dialect-capabilities.js';
import { migrate } from './migrate.js';
import { openPostgres } from './postgres/open-postgres.js';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

/** A query executor: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** How many times a transaction that lost a lock race is retried before giving up. */
const MAX_ATTEMPTS = 8;

/** The metadata store: a migrated database plus what its dialect can do. */
export class Store {
  /** The Kysely instance; repositories take it (or a transaction) as their executor. */
  readonly db: Kysely<Database>;
  readonly capabilities: DialectCapabilities;
  /** The database URL with any password removed, safe to print. */
  readonly displayUrl: string;

  readonly #changeToken: () => string | null;

  private constructor(db: Kysely<Database>, capabilities: DialectCapabilities, displayUrl: string, changeToken: () => string | null) {
    this.db = db;
    this.capabilities = capabilities;
    this.displayUrl = displayUrl;
    this.#changeToken = changeToken;
  }

  /**
   * A cheap token that changes whenever committed data may have changed (any process), so a reader can
   * reuse an answer computed under an equal token; null when the dialect cannot tell (PostgreSQL), in
   * which case nothing may be reused. Take the token BEFORE reading what it will label.
   */
  changeToken(): string | null {
    return this.#changeToken();
  }

  /**
   * Opens and migrates the store at `url`: `sqlite:///abs/path.db`, `sqlite://relative.db`, a plain
   * file path, or `postgres://user:pass@host:port/db`.
   * @example const store = await Store.open('sqlite:///home/me/.modelplane/modelplane.db')
   */
  static async open(url: string, options: { durability?: Durability } = {}): Promise<Store> {
    const { db, capabilities, displayUrl, changeToken } = connect(url, options.durability ?? DEFAULT_DURABILITY);
    try {
      await migrate(db, capabilities);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new Store(db, capabilities, displayUrl, changeToken ?? (() => null));
  }

  /**
   * Runs `fn` in one transaction, retrying the whole transaction when it lost a lock race the
   * database reports as retryable. On SQLite the transaction holds the write lock from its start.
   */
  async transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(fn);
      } catch (error) {
        if (this.capabilities.classifyError(error) !== 'busy') throw error;
        if (attempt >= MAX_ATTEMPTS) {
          throw new ConflictError('The database stayed busy with other writers; the change was not made. Try again.');
        }
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  /** Closes connections. */
  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function connect(url: string, durability: Durability): { db: Kysely<Database>; capabilities: DialectCapabilities; displayUrl: string; changeToken?: () => string | null } {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const displayUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    return { ...openPostgres(url), displayUrl };
  }
  let path = url;
  if (/^sqlite:/i.test(url)) {
    path = url.replace(/^sqlite:(\/\/)?/i, '');
    if (path === '') throw new ValidationError('The SQLite URL names no file: use sqlite:///absolute/path.db or sqlite://relative.db.');
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ValidationError(`Unsupported database URL "${url.split('://')[0]}://…": use sqlite://PATH or postgres://USER@HOST:PORT/DB.`);
  }
  return { ...openSqlite(path, durability), displayUrl: `sqlite://${path}` };
}
