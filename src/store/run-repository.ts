import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Page, PipelineRun, RunRelation, RunStatus } from '../domain/entities.js';
import { NotFoundError } from '../domain/errors.js';
import type { PageRequest } from '../domain/pagination.js';
import { readMetadata } from './metadata-repository.js';
import type { PipelineRunsTable } from './schema.js';
import type { Executor } from './store.js';

type RunRow = Selectable<PipelineRunsTable>;

/** Records a new pipeline run. */
export async function insertPipelineRun(
  trx: Executor,
  input: { id?: string; name?: string; pipelineName: string; status: RunStatus; parameters: string; modelVersionId: string | null },
  now: string,
): Promise<RunRow> {
  const id = input.id ?? randomUUID();
  const row: RunRow = {
    id,
    name: input.name ?? `${input.pipelineName}-${now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${id.slice(0, 8)}`,
    pipeline_name: input.pipelineName,
    status: input.status,
    parameters: input.parameters,
    model_version_id: input.modelVersionId,
    started_at: now,
    ended_at: null,
    error: null,
  };
  await trx.insertInto('pipeline_runs').values(row).execute();
  return row;
}

/** Turns run rows into `PipelineRun`s. */
export async function toPipelineRuns(db: Executor, rows: RunRow[]): Promise<PipelineRun[]> {
  const metadata = await readMetadata(db, 'pipeline_run', rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    pipelineName: r.pipeline_name,
    status: r.status as RunStatus,
    parameters: JSON.parse(r.parameters) as Record<string, unknown>,
    modelVersionId: r.model_version_id,
    startedAt: new Date(r.started_at),
    endedAt: r.ended_at === null ? null : new Date(r.ended_at),
    error: r.error,
    runMetadata: metadata.get(r.id) ?? {},
  }));
}

/** Finds a run by id; `NotFoundError` if absent. */
export async function getPipelineRunRow(db: Executor, id: string): Promise<RunRow> {
  const row = await db.selectFrom('pipeline_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Pipeline run "${id}" not found. List runs with \`modelplane run list\`.`, { run: id });
  return row;
}

/** Lists runs, newest first. */
export async function listPipelineRunRows(
  db: Executor,
  query: { pipeline?: string; modelVersionId?: string; status?: RunStatus },
  page: PageRequest,
): Promise<Page<PipelineRun>> {
  let base = db.selectFrom('pipeline_runs as r');
  if (query.pipeline !== undefined) base = base.where('r.pipeline_name', '=', query.pipeline);
  if (query.status !== undefined) base = base.where('r.status', '=', query.status);
  if (query.modelVersionId !== undefined) {
    const mv = query.modelVersionId;
    base = base.where((eb) =>
      eb.or([eb('r.model_version_id', '=', mv), eb('r.id', 'in', eb.selectFrom('model_version_runs').select('pipeline_run_id').where('model_version_id', '=', mv))]),
    );
  }
  const { total } = (await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst()) ?? { total: 0 };
  const rows = await base.selectAll('r').orderBy('r.started_at', 'desc').orderBy('r.id').limit(page.size).offset(page.offset).execute();
  return { items: await toPipelineRuns(db, rows), total: Number(total), page: page.page, size: page.size };
}

/** Links a run to a model version; linking twice is a no-op. */
export async function linkRun(trx: Executor, modelVersionId: string, runId: string, relation: RunRelation, now: string): Promise<void> {
  await trx
    .insertInto('model_version_runs')
    .values({ model_version_id: modelVersionId, pipeline_run_id: runId, relation, created_at: now })
    .onConflict((oc) => oc.columns(['model_version_id', 'pipeline_run_id', 'relation']).doNothing())
    .execute();
}

/** How each of `runIds` relates to a model version (`producer`, `consumer`, or both), from its links. */
export async function readRunRelations(db: Executor, modelVersionId: string, runIds: readonly string[]): Promise<Map<string, RunRelation[]>> {
  const out = new Map<string, RunRelation[]>(runIds.map((id) => [id, []]));
  for (let i = 0; i < runIds.length; i += 500) {
    const rows = await db
      .selectFrom('model_version_runs')
      .select(['pipeline_run_id', 'relation'])
      .where('model_version_id', '=', modelVersionId)
      .where('pipeline_run_id', 'in', runIds.slice(i, i + 500))
      .orderBy('relation', 'desc')
      .execute();
    for (const r of rows) out.get(r.pipeline_run_id)?.push(r.relation as RunRelation);
  }
  return out;
}
