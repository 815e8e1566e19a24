import type { EncodedMetadataValue, MetadataType } from '../domain/metadata-value.js';
import { decodeMetadataValue } from '../domain/metadata-value.js';
import type { MetadataResourceType, RunMetadata } from '../domain/entities.js';
import { runPrepared } from './prepared.js';
import type { Executor } from './store.js';

/** Largest number of ids sent in one `IN (…)` list; keeps statements under every dialect's limits. */
const CHUNK = 500;

/** Appends metadata rows; the newest row per key wins on read. History is kept. */
export async function appendMetadata(
  db: Executor,
  resourceType: MetadataResourceType,
  resourceId: string,
  entries: Array<[string, EncodedMetadataValue]>,
  now: string,
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('run_metadata')
    .values(entries.map(([key, v]) => ({ resource_type: resourceType, resource_id: resourceId, key, value: v.json, type: v.type, created_at: now })))
    .execute();
}

function selectCurrentMetadata(db: Executor, resourceType: MetadataResourceType, ids: string[]) {
  return db
    .selectFrom('run_metadata')
    .select(['resource_id', 'key', 'value', 'type', 'created_at'])
    .where('seq', 'in', (eb) =>
      eb
        .selectFrom('run_metadata')
        .select((e) => e.fn.max('seq').as('seq'))
        .where('resource_type', '=', resourceType)
        .where('resource_id', 'in', ids)
        .groupBy(['resource_id', 'key']),
    )
    .orderBy('seq');
}

/** Reads the current metadata (newest value per key) of many resources at once. */
export async function readMetadata(db: Executor, resourceType: MetadataResourceType, ids: string[]): Promise<Map<string, RunMetadata>> {
  const result = new Map<string, RunMetadata>();
  for (const id of ids) result.set(id, {});
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    // One resource (the read hot path): the same statement, compiled once.
    const rows =
      ids.length === 1
        ? await runPrepared(db, 'readMetadata:1', (p) => selectCurrentMetadata(db, p[0] as MetadataResourceType, [p[1]]), [resourceType, ids[0]])
        : await selectCurrentMetadata(db, resourceType, chunk).execute();
    for (const row of rows) {
      const target = result.get(row.resource_id)!;
      target[row.key] = {
        value: decodeMetadataValue(row.value, row.type as MetadataType),
        type: row.type as MetadataType,
        createdAt: new Date(row.created_at),
      };
    }
  }
  return result;
}

/** Deletes all metadata of the given resources (used when they are deleted). */
export async function deleteMetadata(db: Executor, resourceType: MetadataResourceType, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db.deleteFrom('run_metadata').where('resource_type', '=', resourceType).where('resource_id', 'in', ids.slice(i, i + CHUNK)).execute();
  }
}
