import { runPrepared } from './prepared.js';
import type { Executor } from './store.js';

/** The three tag tables and the column that points at the tagged row. */
export const TAG_TABLES = {
  model: { table: 'model_tags', idColumn: 'model_id' },
  model_version: { table: 'model_version_tags', idColumn: 'model_version_id' },
  artifact_version: { table: 'artifact_version_tags', idColumn: 'artifact_version_id' },
} as const;

/** What can carry tags. */
export type TagOwner = keyof typeof TAG_TABLES;

const CHUNK = 500;

function selectTags(db: Executor, table: string, idColumn: string, ids: string[]) {
  // Tag tables share one shape; Kysely cannot type a table chosen at run time, hence the casts.
  return db
    .selectFrom(table as 'model_tags')
    .select([`${idColumn} as id` as 'model_id', 'tag'])
    .where(idColumn as 'model_id', 'in', ids)
    .orderBy('tag');
}

/** Reads the tags of many rows, sorted alphabetically per row. */
export async function readTags(db: Executor, owner: TagOwner, ids: string[]): Promise<Map<string, string[]>> {
  const { table, idColumn } = TAG_TABLES[owner];
  const result = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 1) {
    // One row (the read hot path): the same statement as below, compiled once.
    const rows = (await runPrepared(db, `readTags:${owner}`, (p) => selectTags(db, table, idColumn, [p[0]]), [ids[0]])) as unknown as Array<{ id: string; tag: string }>;
    for (const row of rows) result.get(row.id)?.push(row.tag);
    return result;
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    // Tag tables share one shape; Kysely cannot type a table chosen at run time, hence the casts.
    const rows = (await selectTags(db, table, idColumn, ids.slice(i, i + CHUNK)).execute()) as unknown as Array<{ id: string; tag: string }>;
    for (const row of rows) result.get(row.id)?.push(row.tag);
  }
  return result;
}

/** Adds tags to one row; adding a tag it already has is a no-op. */
export async function addTags(db: Executor, owner: TagOwner, id: string, tags: string[]): Promise<void> {
  if (tags.length === 0) return;
  const { table, idColumn } = TAG_TABLES[owner];
  await db
    .insertInto(table as 'model_tags')
    .values(tags.map((tag) => ({ [idColumn]: id, tag }) as unknown as { model_id: string; tag: string }))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Removes tags from one row; removing a tag it does not have is a no-op. */
export async function removeTags(db: Executor, owner: TagOwner, id: string, tags: string[]): Promise<void> {
  if (tags.length === 0) return;
  const { table, idColumn } = TAG_TABLES[owner];
  await db
    .deleteFrom(table as 'model_tags')
    .where(idColumn as 'model_id', '=', id)
    .where('tag', 'in', tags)
    .execute();
}
