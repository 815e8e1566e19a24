import { randomUUID } from 'node:crypto';
import { sql, type OrderByItemBuilder, type Selectable } from 'kysely';
import type { ModelVersion, Page } from '../domain/entities.js';
import { EntityExistsError, NotFoundError } from '../domain/errors.js';
import type { FilterClause, SortSpec } from '../domain/filter.js';
import type { MetadataPath } from '../domain/insights.js';
import type { PageRequest } from '../domain/pagination.js';
import type { Stage } from '../domain/stages.js';
import { describeSelector, type VersionSelector } from '../domain/version-selector.js';
import { runPrepared } from './prepared.js';
import { filterCondition, type FilterColumn } from './apply-filter.js';
import { deleteMetadata, readMetadata } from './metadata-repository.js';
import type { ModelRow } from './model-repository.js';
import type { ModelVersionsTable } from './schema.js';
import type { Executor, Store } from './store.js';
import { currentMetadataRow } from './version-metadata-repository.js';
import { addTags, readTags, removeTags } from './tag-repository.js';

/** A row of `model_versions` with its model's name. */
export type VersionRow = Selectable<ModelVersionsTable> & { model_name: string };

/** Filterable version fields (see `parseFilter`). */
export const VERSION_FILTER_FIELDS = {
  name: { type: 'string' },
  number: { type: 'number' },
  stage: { type: 'enum', values: ['none', 'staging', 'production', 'archived'] },
  tag: { type: 'tag' },
  description: { type: 'string' },
  createdAt: { type: 'date' },
  updatedAt: { type: 'date' },
} as const;

/** Sortable version fields. */
export const VERSION_SORT_FIELDS = ['number', 'name', 'stage', 'createdAt', 'updatedAt'] as const;

const FILTER_COLUMNS: Record<string, FilterColumn> = {
  name: { kind: 'column', column: 'mv.name' },
  number: { kind: 'column', column: 'mv.number' },
  stage: { kind: 'column', column: 'mv.stage' },
  description: { kind: 'column', column: 'mv.description' },
  createdAt: { kind: 'column', column: 'mv.created_at' },
  updatedAt: { kind: 'column', column: 'mv.updated_at' },
  tag: { kind: 'tag', table: 'model_version_tags', idColumn: 'model_version_id', parentId: 'mv.id' },
};

const SORT_COLUMNS = {
  number: 'mv.number',
  name: 'mv.name',
  stage: 'mv.stage',
  createdAt: 'mv.created_at',
  updatedAt: 'mv.updated_at',
} as const;

function versionsOf(db: Executor) {
  return db.selectFrom('model_versions as mv').innerJoin('models as m', 'm.id', 'mv.model_id').selectAll('mv').select('m.name as model_name');
}

/**
 * Inserts a new version of a locked model. Its number is max+1, read under the model's lock, so
 * concurrent creators (threads, processes, servers) get distinct consecutive numbers.
 */
export async function insertVersion(
  store: Store,
  trx: Executor,
  model: ModelRow,
  input: { name?: string; description?: string | null; tags: string[] },
  now: string,
): Promise<VersionRow> {
  const max = await trx
    .selectFrom('model_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('model_id', '=', model.id)
    .executeTakeFirst();
  const number = Number(max?.n ?? 0) + 1;
  const row: VersionRow = {
    id: randomUUID(),
    model_id: model.id,
    number,
    name: input.name ?? String(number),
    description: input.description ?? null,
    stage: 'none',
    stage_changed_at: null,
    created_at: now,
    updated_at: now,
    model_name: model.name,
  };
  const { model_name: _omit, ...values } = row;
  try {
    await trx.insertInto('model_versions').values(values).execute();
  } catch (error) {
    if (store.capabilities.classifyError(error) === 'unique') {
      throw new EntityExistsError(`Model "${model.name}" already has a version named "${row.name}". Pick another name or select that version.`, {
        model: model.name,
        version: row.name,
      });
    }
    throw error;
  }
  await addTags(trx, 'model_version', row.id, input.tags);
  return row;
}

/** Finds the version a selector designates, or undefined. `new` and `template` selectors are the caller's job. */
export async function findVersion(db: Executor, model: ModelRow, selector: VersionSelector): Promise<VersionRow | undefined> {
  const q = versionsOf(db).where('mv.model_id', '=', model.id);
  if (selector.kind === 'id') {
    return (await q.where('mv.id', '=', selector.id).executeTakeFirst()) ?? q.where('mv.name', '=', selector.id).executeTakeFirst();
  }
  return selectOne(q, selector);
}

/**
 * Like {@link findVersion} for a model given by its exact name, in one query (models joined on name)
 * — the read hot path. Only the `number`, `latest`, `stage` and `name` selectors are answered; for any
 * other this returns undefined without querying. Undefined means "model or version missing": the
 * caller falls back to {@link getModelRow}/{@link getVersionRow} for the precise error (and for models
 * given by id).
 */
export async function findVersionByModelName(db: Executor, modelName: string, selector: VersionSelector): Promise<VersionRow | undefined> {
  if (!isSingleQuerySelector(selector)) return undefined;
  if (selector.kind === 'stage') {
    // GET by stage is the hottest read: its statement is compiled once.
    const rows = await runPrepared(db, 'findVersionByModelName:stage', (p) => byStage(versionsOf(db).where('m.name', '=', p[0]), p[1] as Stage), [modelName, selector.stage]);
    return rows[0];
  }
  return selectOne(versionsOf(db).where('m.name', '=', modelName), selector);
}

/** The selectors {@link findVersionByModelName} answers. */
export function isSingleQuerySelector(selector: VersionSelector): boolean {
  return selector.kind === 'number' || selector.kind === 'latest' || selector.kind === 'stage' || selector.kind === 'name';
}

// `LIMIT 1` as a literal, not a bound parameter: with `LIMIT ?` SQLite cannot plan the top-1 sort and
// the by-stage read cost ≈ 18 µs instead of ≈ 5 µs (measured on better-sqlite3, same rows either way).
const ONE = sql.lit(1);

/** The version holding `stage`: the one that entered it last. */
function byStage(q: ReturnType<typeof versionsOf>, stage: Stage) {
  return q.where('mv.stage', '=', stage).orderBy('mv.stage_changed_at', 'desc').orderBy('mv.number', 'desc').limit(ONE);
}

function selectOne(q: ReturnType<typeof versionsOf>, selector: VersionSelector): Promise<VersionRow | undefined> {
  switch (selector.kind) {
    case 'number':
      return q.where('mv.number', '=', selector.number).executeTakeFirst();
    case 'latest':
      return q.orderBy('mv.number', 'desc').limit(ONE).executeTakeFirst();
    case 'stage':
      return byStage(q, selector.stage).executeTakeFirst();
    case 'name':
      return q.where('mv.name', '=', selector.name).executeTakeFirst();
    default:
      return Promise.resolve(undefined);
  }
}

/** Like {@link findVersion} but throws a `NotFoundError` that names model and selector. */
export async function getVersionRow(db: Executor, model: ModelRow, selector: VersionSelector): Promise<VersionRow> {
  const row = await findVersion(db, model, selector);
  if (!row) {
    throw new NotFoundError(`Model "${model.name}" has no ${describeSelector(selector).replace(/^the /, '')}. List its versions with \`modelplane model version list ${model.name}\`.`, {
      model: model.name,
      selector: selector.kind,
    });
  }
  return row;
}

/** Finds a version by id alone (any model). */
export async function findVersionById(db: Executor, id: string): Promise<VersionRow | undefined> {
  return versionsOf(db).where('mv.id', '=', id).executeTakeFirst();
}

/** Turns version rows into `ModelVersion`s (tags and current metadata in batched queries). */
export async function toVersions(db: Executor, rows: VersionRow[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [tags, metadata] = [await readTags(db, 'model_version', ids), await readMetadata(db, 'model_version', ids)];
  return rows.map((r) => ({
    id: r.id,
    modelId: r.model_id,
    modelName: r.model_name,
    number: Number(r.number),
    name: r.name,
    description: r.description,
    stage: r.stage as Stage,
    tags: tags.get(r.id) ?? [],
    runMetadata: metadata.get(r.id) ?? {},
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  }));
}

/** A sort of versions by a metadata value, resolved to its stored key and the path inside the value. */
export interface VersionMetadataSort extends MetadataPath {
  field: 'metadata';
  direction: 'asc' | 'desc';
}

/**
 * Lists a model's versions matching `filter`, one page at a time, with the total count. A metadata
 * sort orders numbers numerically, then strings (and booleans) as text, then versions without a
 * value (always last); ties go by number in the same direction.
 */
export async function listVersionRows(
  store: Store,
  modelId: string,
  filter: FilterClause[],
  sort: SortSpec | VersionMetadataSort,
  page: PageRequest,
): Promise<Page<ModelVersion>> {
  const db = store.db;
  const base = db
    .selectFrom('model_versions as mv')
    .where('mv.model_id', '=', modelId)
    .where((eb) => filterCondition(eb, filter, FILTER_COLUMNS));
  const { total } = (await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst()) ?? { total: 0 };
  const rows = base.innerJoin('models as m', 'm.id', 'mv.model_id').selectAll('mv').select('m.name as model_name');
  let sorted;
  if (isMetadataSort(sort)) {
    const { key, path, direction } = sort;
    const order = direction === 'desc' ? (ob: OrderByItemBuilder) => ob.desc().nullsLast() : (ob: OrderByItemBuilder) => ob.asc().nullsLast();
    // One index seek per version for its current value; the sort itself runs over the model's versions only.
    sorted = rows
      .leftJoin('run_metadata as rm', (join) => join.on(currentMetadataRow('rm', key)))
      .orderBy(store.capabilities.jsonNumberAt(sql.ref('rm.value'), path), order)
      .orderBy(store.capabilities.jsonTextAt(sql.ref('rm.value'), path), order)
      .orderBy('mv.number', direction);
  } else {
    sorted = rows.orderBy(SORT_COLUMNS[sort.field as keyof typeof SORT_COLUMNS], sort.direction).orderBy('mv.number', sort.direction);
  }
  const found = (await sorted.limit(page.size).offset(page.offset).execute()) as VersionRow[];
  return { items: await toVersions(db, found), total: Number(total), page: page.page, size: page.size };
}

function isMetadataSort(sort: SortSpec | VersionMetadataSort): sort is VersionMetadataSort {
  return sort.field === 'metadata' && 'key' in sort;
}

/** Applies name, description and tag changes to a version. A taken name is an `EntityExistsError`. */
export async function patchVersion(
  store: Store,
  trx: Executor,
  row: VersionRow,
  patch: { name?: string; description?: string | null; addTags?: string[]; removeTags?: string[] },
  now: string,
): Promise<void> {
  const values: Partial<ModelVersionsTable> = { updated_at: now };
  if (patch.name !== undefined) values.name = patch.name;
  if (patch.description !== undefined) values.description = patch.description;
  try {
    await trx.updateTable('model_versions').set(values).where('id', '=', row.id).execute();
  } catch (error) {
    if (store.capabilities.classifyError(error) === 'unique') {
      throw new EntityExistsError(`Model "${row.model_name}" already has a version named "${patch.name}".`, { model: row.model_name, version: patch.name });
    }
    throw error;
  }
  await removeTags(trx, 'model_version', row.id, patch.removeTags ?? []);
  await addTags(trx, 'model_version', row.id, patch.addTags ?? []);
}

/** Deletes a version with its tags, artifact and run links, and metadata. Its stage history stays. */
export async function deleteVersionRow(trx: Executor, row: VersionRow): Promise<void> {
  await deleteMetadata(trx, 'model_version', [row.id]);
  await trx.deleteFrom('model_versions').where('id', '=', row.id).execute();
}

/** A version as the live event feed announces it. */
export interface CreatedVersion {
  modelId: string;
  modelName: string;
  versionId: string;
  number: number;
  name: string;
  createdAt: string;
}

/**
 * The newest versions (at most `limit`, returned oldest first) of every model created at or after
 * `since` (ISO time). Every version creation bumps its model's `updated_at`, so only models changed
 * since then are searched — a scan of the small models table plus one `model_versions_created` range
 * per changed model — instead of all versions of all models.
 */
export async function listVersionsCreatedSince(db: Executor, since: string, limit: number): Promise<CreatedVersion[]> {
  // Two statements on purpose: as one join, both SQLite and PostgreSQL chose to scan every version.
  const models = await db.selectFrom('models').select(['id', 'name']).where('updated_at', '>=', since).execute();
  if (models.length === 0) return [];
  const names = new Map(models.map((m) => [m.id, m.name]));
  const rows: Array<{ model_id: string; id: string; number: number; name: string; created_at: string }> = [];
  for (let i = 0; i < models.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('model_versions')
        .select(['model_id', 'id', 'number', 'name', 'created_at'])
        .where('model_id', 'in', models.slice(i, i + 500).map((m) => m.id))
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute()),
    );
  }
  return rows
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : Number(b.number) - Number(a.number)))
    .slice(0, limit)
    .reverse()
    .map((r) => ({ modelId: r.model_id, modelName: names.get(r.model_id)!, versionId: r.id, number: Number(r.number), name: r.name, createdAt: r.created_at }));
}
