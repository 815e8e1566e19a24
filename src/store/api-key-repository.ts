import type { Selectable } from 'kysely';
import { EntityExistsError } from '../domain/errors.js';
import type { PageRequest } from '../domain/pagination.js';
import type { ApiKeysTable } from './schema.js';
import type { Executor, Store } from './store.js';

/** A row of `api_keys`, salt and hash included: only the verifier should see these. */
export type ApiKeyRow = Selectable<ApiKeysTable>;

/** A row of `api_keys` without its salt and hash: what listings and the API show. */
export type ApiKeyPublicRow = Omit<ApiKeyRow, 'salt' | 'hash'>;

const PUBLIC_COLUMNS = ['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at'] as const;

/**
 * Inserts an API key row. A name already used by a key that is not revoked (or, for a key chosen by the
 * operator, an id already taken) is an `EntityExistsError`.
 */
export async function insertApiKey(store: Store, db: Executor, row: ApiKeyRow): Promise<void> {
  try {
    await db.insertInto('api_keys').values(row).execute();
  } catch (error) {
    if (store.capabilities.classifyError(error) === 'unique') {
      throw new EntityExistsError(`An API key named "${row.name}" already exists and is not revoked. Revoke it first, or pick another name.`, { name: row.name });
    }
    throw error;
  }
}

/** The key with this id, salt and hash included (revoked keys too), or undefined. */
export async function findApiKey(db: Executor, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The key with this id without salt and hash (revoked keys too), or undefined. */
export async function findApiKeyPublic(db: Executor, id: string): Promise<ApiKeyPublicRow | undefined> {
  return db.selectFrom('api_keys').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** One page of keys, oldest first, without salts and hashes, and how many there are in all. */
export async function listApiKeys(db: Executor, options: { includeRevoked: boolean; page: PageRequest }): Promise<{ rows: ApiKeyPublicRow[]; total: number }> {
  let base = db.selectFrom('api_keys');
  if (!options.includeRevoked) base = base.where('revoked_at', 'is', null);
  const [{ total }] = (await base.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
  const rows = await base
    .select(PUBLIC_COLUMNS)
    .orderBy('created_at')
    .orderBy('id')
    .limit(options.page.size)
    .offset(options.page.offset)
    .execute();
  return { rows, total: Number(total) };
}

/** Marks a key revoked at `now` unless it already is. Returns false when no key has this id. */
export async function revokeApiKey(db: Executor, id: string, now: string): Promise<boolean> {
  await db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  return (await db.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/**
 * Sets `last_used_at` to `now` when it is unset or not later than `staleBefore`. The condition lives in
 * the UPDATE, so several server processes verifying the same key write it at most once per interval.
 */
export async function touchApiKey(db: Executor, id: string, now: string, staleBefore: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', staleBefore)]))
    .execute();
}

/** True when at least one admin key is not revoked. */
export async function hasActiveAdminKey(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('api_keys').select('id').where('role', '=', 'admin').where('revoked_at', 'is', null).limit(1).executeTakeFirst();
  return row !== undefined;
}
