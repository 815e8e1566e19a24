import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactVersion, Page } from '../domain/entities.js';
import { EntityExistsError, NotFoundError } from '../domain/errors.js';
import type { PageRequest } from '../domain/pagination.js';
import { isId } from '../domain/version-selector.js';
import { readMetadata } from './metadata-repository.js';
import type { ArtifactVersionsTable } from './schema.js';
import type { Executor, Store } from './store.js';
import { addTags, readTags } from './tag-repository.js';

/** A row of `artifact_versions` with its artifact's name. */
export type ArtifactVersionRow = Selectable<ArtifactVersionsTable> & { name: string };

/** What a new artifact version records; the bytes are already stored under `contentHash`. */
export interface NewArtifactVersion {
  name: string;
  version?: number;
  type: ArtifactType;
  uri: string;
  contentHash: string;
  size: number;
  materializer: string;
  dataType: string;
  producerRunId?: string | null;
  producerStepRunId?: string | null;
  tags: string[];
}

/** Which artifact versions to list. */
export interface ArtifactVersionQuery {
  name?: string;
  type?: ArtifactType | ArtifactType[];
  modelVersionId?: string;
  runId?: string;
}

function versionsOf(db: Executor) {
  return db.selectFrom('artifact_versions as av').innerJoin('artifacts as a', 'a.id', 'av.artifact_id').selectAll('av').select('a.name as name');
}

/**
 * Records a new version of artifact `name` (creating the name on first use). The version number is
 * max+1 under the artifact's row lock; an explicit `version` that is taken is an `EntityExistsError`.
 */
export async function insertArtifactVersion(store: Store, trx: Executor, input: NewArtifactVersion, now: string): Promise<ArtifactVersionRow> {
  await trx.insertInto('artifacts').values({ id: randomUUID(), name: input.name, created_at: now, write_seq: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const artifact = await trx
    .updateTable('artifacts')
    .set((eb) => ({ write_seq: eb('write_seq', '+', 1) }))
    .where('name', '=', input.name)
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  let version = input.version;
  if (version === undefined) {
    const max = await trx.selectFrom('artifact_versions').select((eb) => eb.fn.max('version').as('v')).where('artifact_id', '=', artifact.id).executeTakeFirst();
    version = Number(max?.v ?? 0) + 1;
  }
  const row: ArtifactVersionRow = {
    id: randomUUID(),
    artifact_id: artifact.id,
    version,
    type: input.type,
    uri: input.uri,
    content_hash: input.contentHash,
    size: input.size,
    materializer: input.materializer,
    data_type: input.dataType,
    producer_run_id: input.producerRunId ?? null,
    producer_step_run_id: input.producerStepRunId ?? null,
    created_at: now,
    name: artifact.name,
  };
  const { name: _omit, ...values } = row;
  try {
    await trx.insertInto('artifact_versions').values(values).execute();
  } catch (error) {
    if (store.capabilities.classifyError(error) === 'unique') {
      throw new EntityExistsError(`Artifact "${input.name}" already has a version ${version}. Omit the version to get the next number.`, { artifact: input.name, version });
    }
    throw error;
  }
  await addTags(trx, 'artifact_version', row.id, input.tags);
  return row;
}

/** Finds an artifact version by id, or by name and version number (absent → the highest number). */
export async function getArtifactVersionRow(db: Executor, nameOrId: string, version?: number): Promise<ArtifactVersionRow> {
  if (version === undefined && isId(nameOrId)) {
    const byId = await versionsOf(db).where('av.id', '=', nameOrId.toLowerCase()).executeTakeFirst();
    if (byId) return byId;
  }
  let q = versionsOf(db).where('a.name', '=', nameOrId);
  q = version === undefined ? q.orderBy('av.version', 'desc').limit(1) : q.where('av.version', '=', version);
  const row = await q.executeTakeFirst();
  if (!row) {
    throw new NotFoundError(
      version === undefined
        ? `Artifact "${nameOrId}" not found. List artifacts with \`modelplane artifact list\`.`
        : `Artifact "${nameOrId}" has no version ${version}. List its versions with \`modelplane artifact describe ${nameOrId}\`.`,
      { artifact: nameOrId, version },
    );
  }
  return row;
}

/** Turns rows into `ArtifactVersion`s (tags and metadata in batched queries). */
export async function toArtifactVersions(db: Executor, rows: ArtifactVersionRow[]): Promise<ArtifactVersion[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tags = await readTags(db, 'artifact_version', ids);
  const metadata = await readMetadata(db, 'artifact_version', ids);
  return rows.map((r) => ({
    id: r.id,
    artifactId: r.artifact_id,
    name: r.name,
    version: Number(r.version),
    type: r.type as ArtifactType,
    uri: r.uri,
    contentHash: r.content_hash,
    size: Number(r.size),
    materializer: r.materializer,
    dataType: r.data_type,
    producerRunId: r.producer_run_id,
    producerStepRunId: r.producer_step_run_id,
    tags: tags.get(r.id) ?? [],
    runMetadata: metadata.get(r.id) ?? {},
    createdAt: new Date(r.created_at),
  }));
}

/** Lists artifact versions, newest first, one page at a time. Versions order numerically. */
export async function listArtifactVersionRows(db: Executor, query: ArtifactVersionQuery, page: PageRequest): Promise<Page<ArtifactVersion>> {
  let base = db.selectFrom('artifact_versions as av').innerJoin('artifacts as a', 'a.id', 'av.artifact_id');
  if (query.name !== undefined) base = base.where('a.name', '=', query.name);
  if (query.type !== undefined) base = base.where('av.type', 'in', Array.isArray(query.type) ? query.type : [query.type]);
  if (query.modelVersionId !== undefined) {
    const mv = query.modelVersionId;
    base = base.where('av.id', 'in', (eb) => eb.selectFrom('model_version_artifacts').select('artifact_version_id').where('model_version_id', '=', mv));
  }
  if (query.runId !== undefined) {
    const run = query.runId;
    base = base.where((eb) =>
      eb.or([
        eb('av.producer_run_id', '=', run),
        eb('av.id', 'in', eb.selectFrom('step_run_artifacts as sra').innerJoin('step_runs as sr', 'sr.id', 'sra.step_run_id').select('sra.artifact_version_id').where('sr.pipeline_run_id', '=', run)),
      ]),
    );
  }
  const { total } = (await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst()) ?? { total: 0 };
  const rows = await base
    .selectAll('av')
    .select('a.name as name')
    .orderBy('a.name')
    .orderBy('av.version', 'desc')
    .limit(page.size)
    .offset(page.offset)
    .execute();
  return { items: await toArtifactVersions(db, rows), total: Number(total), page: page.page, size: page.size };
}

/** Links an artifact version to a model version; linking twice is a no-op. */
export async function linkArtifact(trx: Executor, modelVersionId: string, artifactVersionId: string, now: string): Promise<void> {
  await trx
    .insertInto('model_version_artifacts')
    .values({ model_version_id: modelVersionId, artifact_version_id: artifactVersionId, created_at: now })
    .onConflict((oc) => oc.columns(['model_version_id', 'artifact_version_id']).doNothing())
    .execute();
}

/** Of the given content hashes, those that some artifact version still refers to. */
export async function referencedHashes(db: Executor, hashes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db.selectFrom('artifact_versions').select('content_hash').distinct().where('content_hash', 'in', hashes.slice(i, i + 500)).execute();
    for (const r of rows) found.add(r.content_hash);
  }
  return found;
}
