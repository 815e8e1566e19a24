import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import {
  MAX_METADATA_PATH_DEPTH,
  MAX_METRIC_POINTS,
  type MetadataKeyInfo,
  type MetadataPath,
  type MetadataValueKind,
  type MetricSeries,
} from '../domain/insights.js';
import type { Stage } from '../domain/stages.js';
import type { Executor, Store } from './store.js';

/**
 * Queries over the current metadata of all versions of one model (the dashboard's model page): the
 * paths present, a numeric series, and the sort key of the version listing. Values are JSON text in
 * `run_metadata`; the newest row per (version, key) is the current one, found with one index seek
 * on `run_metadata_resource` per version, and JSON is read in SQL through the dialect's capabilities.
 */

/**
 * Join condition: `alias` is the current `run_metadata` row of key `key` of the version `mv.id`
 * (the newest row: max seq of that resource and key).
 */
export function currentMetadataRow(alias: string, key: string | Expression<string>, versionId: Expression<string> = sql.ref<string>('mv.id')): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${alias}.seq`)} = (select max(r2.seq) from run_metadata r2 where r2.resource_type = 'model_version' and r2.resource_id = ${versionId} and r2.key = ${key})`;
}

/**
 * Splits dotted `segments` into the stored metadata key and the path inside its value. The key is
 * the first segment, unless a longer dotted prefix is itself a key of one of the model's versions
 * (keys may contain dots); the longest such prefix wins.
 */
export async function resolveMetadataPath(db: Executor, modelId: string, segments: readonly string[]): Promise<MetadataPath> {
  if (segments.length > 1) {
    const candidates = segments.slice(1).map((_, i) => segments.slice(0, i + 2).join('.'));
    const found = await db
      .selectFrom('model_versions as mv')
      .innerJoin('run_metadata as rm', (join) => join.on('rm.resource_type', '=', 'model_version').onRef('rm.resource_id', '=', 'mv.id'))
      .select('rm.key')
      .distinct()
      .where('mv.model_id', '=', modelId)
      .where('rm.key', 'in', candidates)
      .execute();
    const keys = new Set(found.map((r) => r.key));
    for (let n = segments.length; n >= 2; n--) {
      const key = segments.slice(0, n).join('.');
      if (keys.has(key)) return { key, path: segments.slice(n) };
    }
  }
  return { key: segments[0]!, path: segments.slice(1) };
}

const KIND_ORDER: readonly MetadataValueKind[] = ['number', 'string', 'boolean', 'object', 'array', 'null'];

/**
 * Every metadata path of the model's versions — top-level keys and dotted paths into nested objects,
 * down to {@link MAX_METADATA_PATH_DEPTH} segments — with its most common type and how many versions
 * have it, sorted by path.
 */
export async function listMetadataKeys(store: Store, modelId: string): Promise<MetadataKeyInfo[]> {
  const source = sql<{ key: string; value: string }>`select rm.key as key, rm.value as value
    from model_versions mv
    join run_metadata rm on rm.resource_type = 'model_version' and rm.resource_id = mv.id
    where mv.model_id = ${modelId} and ${currentMetadataRow('rm', sql.ref<string>('rm.key'), sql.ref<string>('rm.resource_id'))}`;
  const { rows } = await store.capabilities.jsonPathCounts(source, MAX_METADATA_PATH_DEPTH).execute(store.db);
  const byPath = new Map<string, { count: number; types: Map<MetadataValueKind, number> }>();
  for (const row of rows) {
    const entry = byPath.get(row.path) ?? { count: 0, types: new Map() };
    const count = Number(row.count);
    const kind = (KIND_ORDER.includes(row.type as MetadataValueKind) ? row.type : 'null') as MetadataValueKind;
    entry.count += count;
    entry.types.set(kind, (entry.types.get(kind) ?? 0) + count);
    byPath.set(row.path, entry);
  }
  return [...byPath.entries()]
    .map(([key, { count, types }]) => {
      let best: MetadataValueKind = 'null';
      let bestCount = -1;
      for (const kind of KIND_ORDER) {
        const n = types.get(kind) ?? 0;
        if (n > bestCount) [best, bestCount] = [kind, n];
      }
      return { key, type: best, count };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Every version of the model with a numeric value at the path, by version number ascending (at most {@link MAX_METRIC_POINTS}). */
export async function metricSeries(store: Store, modelId: string, key: string, segments: readonly string[]): Promise<MetricSeries> {
  const { key: metadataKey, path } = await resolveMetadataPath(store.db, modelId, segments);
  const value = store.capabilities.jsonNumberAt(sql.ref('rm.value'), path);
  const rows = await store.db
    .selectFrom('model_versions as mv')
    .innerJoin('run_metadata as rm', (join) => join.on(currentMetadataRow('rm', metadataKey)))
    .select(['mv.id', 'mv.number', 'mv.name', 'mv.stage', 'mv.created_at', value.as('value')])
    .where('mv.model_id', '=', modelId)
    .where(value, 'is not', null)
    .orderBy('mv.number')
    .limit(MAX_METRIC_POINTS)
    .execute();
  return {
    key,
    points: rows.map((r) => ({
      versionId: r.id,
      number: Number(r.number),
      name: r.name,
      stage: r.stage as Stage,
      value: Number(r.value),
      createdAt: new Date(r.created_at),
    })),
  };
}
