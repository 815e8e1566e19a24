import type { Selectable } from 'kysely';
import type { Page, StageHolding, StageTransition } from '../domain/entities.js';
import type { PageRequest } from '../domain/pagination.js';
import { StageConflictError } from '../domain/errors.js';
import { isExclusiveStage, type Stage } from '../domain/stages.js';
import type { ModelRow } from './model-repository.js';
import type { StageTransitionsTable } from './schema.js';
import type { Executor, Store } from './store.js';
import type { VersionRow } from './version-repository.js';

type TransitionRow = Selectable<StageTransitionsTable>;

/**
 * Moves a version of a locked model to `stage` and appends the transition to the stage history. If
 * another version holds an exclusive stage, it is a `StageConflictError` unless `force`, which moves
 * the holder to `archived` in the same transaction. Setting the stage a version already has changes
 * nothing and records nothing.
 */
export async function changeStage(
  store: Store,
  trx: Executor,
  model: ModelRow,
  version: VersionRow,
  stage: Stage,
  options: { force: boolean; actor: string; reason: string | null },
  now: string,
): Promise<boolean> {
  if (version.stage === stage) return false;
  let displaced: { id: string; number: number } | null = null;
  if (isExclusiveStage(stage)) {
    const holder = await trx
      .selectFrom('model_versions')
      .select(['id', 'number', 'name'])
      .where('model_id', '=', model.id)
      .where('stage', '=', stage)
      .where('id', '<>', version.id)
      .executeTakeFirst();
    if (holder) {
      if (!options.force) {
        throw new StageConflictError(
          `Version ${holder.number} ("${holder.name}") of model "${model.name}" already holds ${stage}. Use force (CLI: --force) to move it to archived and promote version ${version.number}.`,
          { model: model.name, stage, holderId: holder.id, holderNumber: Number(holder.number), holderName: holder.name },
        );
      }
      await trx.updateTable('model_versions').set({ stage: 'archived', stage_changed_at: now, updated_at: now }).where('id', '=', holder.id).execute();
      displaced = { id: holder.id, number: Number(holder.number) };
    }
  }
  try {
    await trx.updateTable('model_versions').set({ stage, stage_changed_at: now, updated_at: now }).where('id', '=', version.id).execute();
  } catch (error) {
    // Only reachable by a writer that skipped the model lock; the partial unique index still holds.
    if (store.capabilities.classifyError(error) === 'unique') {
      throw new StageConflictError(`Another version of model "${model.name}" took ${stage} at the same time; try again.`, { model: model.name, stage });
    }
    throw error;
  }
  await trx
    .insertInto('stage_transitions')
    .values({
      model_id: model.id,
      model_version_id: version.id,
      version_number: Number(version.number),
      version_name: version.name,
      from_stage: version.stage,
      to_stage: stage,
      displaced_version_id: displaced?.id ?? null,
      displaced_version_number: displaced?.number ?? null,
      actor: options.actor,
      reason: options.reason,
      created_at: now,
    })
    .execute();
  return true;
}

function toTransition(r: TransitionRow): StageTransition {
  return {
    id: Number(r.seq),
    modelId: r.model_id,
    modelVersionId: r.model_version_id,
    versionNumber: Number(r.version_number),
    versionName: r.version_name,
    fromStage: r.from_stage as Stage,
    toStage: r.to_stage as Stage,
    displacedVersionId: r.displaced_version_id,
    displacedVersionNumber: r.displaced_version_number === null ? null : Number(r.displaced_version_number),
    actor: r.actor,
    reason: r.reason,
    createdAt: new Date(r.created_at),
  };
}

/** A model's stage transitions, oldest first; with `stage`, only those that moved a version into or out of it. */
export async function listTransitions(db: Executor, modelId: string, stage?: Stage): Promise<StageTransition[]> {
  return (await transitionsOf(db, modelId, stage).selectAll().orderBy('seq').execute()).map(toTransition);
}

/** One page of {@link listTransitions}, oldest first, with the total count — for histories too long to send whole. */
export async function listTransitionPage(db: Executor, modelId: string, stage: Stage | undefined, page: PageRequest): Promise<Page<StageTransition>> {
  const q = transitionsOf(db, modelId, stage);
  const counted = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirst();
  const rows = await q.selectAll().orderBy('seq').limit(page.size).offset(page.offset).execute();
  return { items: rows.map(toTransition), total: Number(counted?.total ?? 0), page: page.page, size: page.size };
}

/** A model's transitions that touch `stage` (all of them without one). */
function transitionsOf(db: Executor, modelId: string, stage?: Stage) {
  const q = db.selectFrom('stage_transitions').where('model_id', '=', modelId);
  if (!stage) return q;
  return q.where((eb) => {
    const touches = [eb('from_stage', '=', stage), eb('to_stage', '=', stage)];
    // A forced promotion moves the displaced holder into archived.
    if (stage === 'archived') touches.push(eb('displaced_version_id', 'is not', null));
    return eb.or(touches);
  });
}

/** Who held `stage` at moment `at`, found by replaying the history up to then. */
export async function stageHoldingAt(db: Executor, modelId: string, stage: Stage, at: Date): Promise<StageHolding> {
  const rows = await db.selectFrom('stage_transitions').selectAll().where('model_id', '=', modelId).where('created_at', '<=', at.toISOString()).orderBy('seq').execute();
  const state = new Map<string, { stage: string; since: Date; number: number; name: string }>();
  for (const r of rows) {
    const when = new Date(r.created_at);
    state.set(r.model_version_id, { stage: r.to_stage, since: when, number: Number(r.version_number), name: r.version_name });
    if (r.displaced_version_id) {
      const prev = state.get(r.displaced_version_id);
      state.set(r.displaced_version_id, {
        stage: 'archived',
        since: when,
        number: Number(r.displaced_version_number),
        name: prev?.name ?? String(r.displaced_version_number),
      });
    }
  }
  const holders = [...state.entries()]
    .filter(([, s]) => s.stage === stage)
    .map(([id, s]) => ({ modelVersionId: id, versionNumber: s.number, versionName: s.name, since: s.since }))
    .sort((a, b) => b.since.getTime() - a.since.getTime() || b.versionNumber - a.versionNumber);
  return { stage, at, holder: holders[0] ?? null, holders };
}

/** A stage transition with the name of its model, as the live event feed sends it. */
export interface FeedTransition {
  modelName: string;
  transition: StageTransition;
}

/**
 * Transitions of every model with `seq > afterSeq`, oldest first (at most `limit`): the live feed's
 * poll. It reads the primary key range only, so it stays cheap however long the history is.
 */
export async function listTransitionsAfter(db: Executor, afterSeq: number, limit: number): Promise<FeedTransition[]> {
  const rows = await db
    .selectFrom('stage_transitions as t')
    .innerJoin('models as m', 'm.id', 't.model_id')
    .selectAll('t')
    .select('m.name as model_name')
    .where('t.seq', '>', afterSeq)
    .orderBy('t.seq')
    .limit(limit)
    .execute();
  return rows.map(({ model_name, ...r }) => ({ modelName: model_name, transition: toTransition(r) }));
}

/** The highest `seq` of the stage history (0 when it is empty). */
export async function lastTransitionSeq(db: Executor): Promise<number> {
  const row = await db.selectFrom('stage_transitions').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}
