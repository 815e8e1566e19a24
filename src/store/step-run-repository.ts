import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { RunStatus, StepRun } from '../domain/entities.js';
import { NotFoundError } from '../domain/errors.js';
import { readMetadata } from './metadata-repository.js';
import type { StepRunsTable } from './schema.js';
import type { Executor } from './store.js';

type StepRunRow = Selectable<StepRunsTable>;

/** Records a step run that starts now, with its input artifact versions. */
export async function insertStepRun(
  trx: Executor,
  input: { id?: string; pipelineRunId: string; name: string; status: RunStatus; cacheKey: string | null; modelVersionId: string | null; inputs: Record<string, string> },
  now: string,
): Promise<StepRunRow> {
  const row: StepRunRow = {
    id: input.id ?? randomUUID(),
    pipeline_run_id: input.pipelineRunId,
    name: input.name,
    status: input.status,
    cache_hit: 0,
    cache_key: input.cacheKey,
    model_version_id: input.modelVersionId,
    started_at: now,
    ended_at: null,
    error: null,
    logs: '',
  };
  await trx.insertInto('step_runs').values(row).execute();
  await insertStepArtifacts(trx, row.id, 'input', input.inputs);
  return row;
}

/** Records which artifact versions a step run read or wrote, by input/output name. */
export async function insertStepArtifacts(trx: Executor, stepRunId: string, direction: 'input' | 'output', artifacts: Record<string, string>): Promise<void> {
  const entries = Object.entries(artifacts);
  if (entries.length === 0) return;
  await trx
    .insertInto('step_run_artifacts')
    .values(entries.map(([name, avId]) => ({ step_run_id: stepRunId, artifact_version_id: avId, name, direction })))
    .onConflict((oc) => oc.columns(['step_run_id', 'direction', 'name']).doUpdateSet((eb) => ({ artifact_version_id: eb.ref('excluded.artifact_version_id') })))
    .execute();
}

/** Finishes a step run: status, end time, cache flag, error and captured logs. */
export async function finishStepRunRow(
  trx: Executor,
  id: string,
  patch: { status: RunStatus; cacheHit: boolean; error: string | null; logs: string },
  now: string,
): Promise<void> {
  const result = await trx
    .updateTable('step_runs')
    .set({ status: patch.status, cache_hit: patch.cacheHit ? 1 : 0, error: patch.error, logs: patch.logs, ended_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`Step run "${id}" not found.`);
}

/** Turns step run rows into `StepRun`s with their inputs, outputs and metadata. */
export async function toStepRuns(db: Executor, rows: StepRunRow[]): Promise<StepRun[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const links = await db.selectFrom('step_run_artifacts').selectAll().where('step_run_id', 'in', ids).execute();
  const metadata = await readMetadata(db, 'step_run', ids);
  return rows.map((r) => {
    const inputs: Record<string, string> = {};
    const outputs: Record<string, string> = {};
    for (const l of links) if (l.step_run_id === r.id) (l.direction === 'input' ? inputs : outputs)[l.name] = l.artifact_version_id;
    return {
      id: r.id,
      pipelineRunId: r.pipeline_run_id,
      name: r.name,
      status: r.status as RunStatus,
      cacheHit: Number(r.cache_hit) === 1,
      cacheKey: r.cache_key,
      modelVersionId: r.model_version_id,
      startedAt: new Date(r.started_at),
      endedAt: r.ended_at === null ? null : new Date(r.ended_at),
      error: r.error,
      logs: r.logs,
      inputs,
      outputs,
      runMetadata: metadata.get(r.id) ?? {},
    };
  });
}

/** Finds a step run by id; `NotFoundError` if absent. */
export async function getStepRunRow(db: Executor, id: string): Promise<StepRunRow> {
  const row = await db.selectFrom('step_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Step run "${id}" not found.`, { stepRun: id });
  return row;
}

/** Finds the step run named `name` in a pipeline run; `NotFoundError` naming both if absent. */
export async function findStepRunByName(db: Executor, pipelineRunId: string, name: string): Promise<StepRunRow> {
  const row = await db.selectFrom('step_runs').selectAll().where('pipeline_run_id', '=', pipelineRunId).where('name', '=', name).executeTakeFirst();
  if (!row) throw new NotFoundError(`Pipeline run "${pipelineRunId}" has no step "${name}".`, { run: pipelineRunId, step: name });
  return row;
}

/**
 * The step runs of a pipeline run, in start order. Timestamps have millisecond resolution; of two
 * steps started in the same millisecond, the one that ended first (a dependency) comes first.
 */
export async function listStepRunRows(db: Executor, pipelineRunId: string, page?: { limit: number; offset: number }): Promise<StepRunRow[]> {
  let q = db
    .selectFrom('step_runs')
    .selectAll()
    .where('pipeline_run_id', '=', pipelineRunId)
    .orderBy('started_at')
    .orderBy((eb) => eb.fn.coalesce('ended_at', eb.val('9999')))
    .orderBy('id');
  if (page) q = q.limit(page.limit).offset(page.offset);
  return q.execute();
}

/** How many step runs a pipeline run has. */
export async function countStepRuns(db: Executor, pipelineRunId: string): Promise<number> {
  const row = await db.selectFrom('step_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('pipeline_run_id', '=', pipelineRunId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The newest completed (not cached) step run with this cache key whose outputs all still exist, or
 * undefined. Cached runs are skipped so that reuse always points at the run that computed the outputs.
 */
export async function findCachedStepRunRow(db: Executor, cacheKey: string): Promise<StepRunRow | undefined> {
  return db
    .selectFrom('step_runs as s')
    .selectAll('s')
    .where('s.cache_key', '=', cacheKey)
    .where('s.status', '=', 'completed')
    .orderBy('s.ended_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Sets a pipeline run's status (and end time and error when it ends). */
export async function updatePipelineRunRow(trx: Executor, id: string, patch: { status: RunStatus; error?: string | null; ended: boolean }, now: string): Promise<void> {
  const result = await trx
    .updateTable('pipeline_runs')
    .set({ status: patch.status, ...(patch.error === undefined ? {} : { error: patch.error }), ...(patch.ended ? { ended_at: now } : {}) })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`Pipeline run "${id}" not found.`);
}
