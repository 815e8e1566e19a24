import type { ArtifactStore, BlobReader, BlobWriter } from '../artifacts/artifact-store.js';
import { openArtifactStore } from '../artifacts/open-artifact-store.js';
import type { S3ConnectionOptions } from '../artifacts/s3-artifact-store.js';
import { parseArtifactType } from '../domain/artifact-type.js';
import { parseDurability, type Durability } from '../domain/durability.js';
import type { ArtifactVersion, Model, ModelVersion, Page, PipelineRun, RunRelation, RunStatus, StageHolding, StageTransition, StepRun } from '../domain/entities.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { parseFilter, parseSort, type FilterClause } from '../domain/filter.js';
import { parseMetadataPathSegments, parseMetadataSort, type LineageGraph, type MetadataKeyInfo, type MetricSeries } from '../domain/insights.js';
import { encodeMetadata } from '../domain/metadata-value.js';
import { validateArtifactName, validateModelName, validateTag, validateTags, validateText, validateVersionName } from '../domain/names.js';
import { parsePageRequest, type PageRequest } from '../domain/pagination.js';
import { parseSettableStage, type Stage } from '../domain/stages.js';
import { isId, parseVersionSelector, type VersionSelector } from '../domain/version-selector.js';
import {
  MODEL_FILTER_FIELDS,
  MODEL_SORT_FIELDS,
  Store,
  VERSION_FILTER_FIELDS,
  VERSION_SORT_FIELDS,
  appendMetadata,
  changeStage,
  deleteModelRow,
  deleteVersionRow,
  ensureModel,
  findVersion,
  findVersionById,
  findVersionByModelName,
  isSingleQuerySelector,
  getArtifactVersionRow,
  getModelRow,
  getPipelineRunRow,
  getVersionRow,
  insertArtifactVersion,
  insertModel,
  insertPipelineRun,
  insertVersion,
  linkArtifact,
  linkRun,
  listArtifactVersionRows,
  listModelRows,
  listPipelineRunRows,
  listTransitionPage,
  listTransitions,
  listVersionRows,
  lockModel,
  patchModel,
  patchVersion,
  referencedHashes,
  stageHoldingAt,
  toArtifactVersions,
  toModels,
  toPipelineRuns,
  toVersions,
  resolveMetadataPath,
  readRunRelations,
  listVersionsCreatedSince,
  type CreatedVersion,
  listMetadataKeys,
  metricSeries,
  versionLineage,
  listTransitionsAfter,
  lastTransitionSeq,
  type FeedTransition,
  findCachedStepRunRow,
  findStepRunByName,
  finishStepRunRow,
  getStepRunRow,
  insertStepArtifacts,
  insertStepRun,
  listStepRunRows,
  countStepRuns,
  toStepRuns,
  updatePipelineRunRow,
  type Executor,
  type ModelCard,
  type VersionRow,
} from '../store/index.js';
import type {
  Backend,
  CallerContext,
  CreateArtifactVersionInput,
  CreateModelInput,
  CreateModelVersionInput,
  CreatePipelineRunInput,
  CreateStepRunInput,
  FinishStepRunInput,
  ListArtifactVersionsQuery,
  ListModelVersionsQuery,
  ListModelsQuery,
  ListPipelineRunsQuery,
  MetadataTarget,
  ModelCardInput,
  UpdateModelInput,
  UpdateModelVersionInput,
} from './backend.js';
import { checkRegistryInvariants } from './check-registry-invariants.js';

/** Options of {@link EmbeddedBackend.open}. */
export interface EmbeddedBackendOptions {
  /** `sqlite://PATH`, a file path, or `postgres://…`. */
  database: string;
  /** The artifact store: a folder, a `file://` URL, or `s3://bucket[/prefix]`. */
  artifacts: string;
  /** How to reach S3 when `artifacts` is `s3://…` (endpoint, region, path-style, credentials); ignored otherwise. */
  s3?: S3ConnectionOptions;
  /** Recorded as the actor of stage transitions when the caller names none. */
  actor?: string;
  /** Default `process` (see {@link Durability}). */
  durability?: Durability;
}

/** Unreferenced blobs younger than this survive `gc`: their artifact version may be being recorded. */
const GC_GRACE_MS = 60 * 60 * 1000;

const CARD_FIELDS = ['license', 'description', 'audience', 'useCases', 'limitations', 'tradeOffs', 'ethics'] as const;

function now(): string {
  return new Date().toISOString();
}

function validateCard(input: ModelCardInput): ModelCard {
  const card: ModelCard = {};
  for (const field of CARD_FIELDS) {
    if (input[field] !== undefined) card[field] = validateText(field, input[field]);
  }
  return card;
}

function versionSelectorOf(version: string | number | undefined): VersionSelector {
  const selector = parseVersionSelector(version);
  if (selector.kind === 'new') return { kind: 'latest' };
  // Reading never renders templates: a version created from one is stored under its rendered name.
  if (selector.kind === 'template') return { kind: 'name', name: selector.template };
  return selector;
}

function optionalTag(value: string | undefined): FilterClause[] {
  return value === undefined ? [] : [{ field: 'tag', op: '=', value: validateTag(value) }];
}

/**
 * The in-process backend: a metadata store (SQLite or PostgreSQL) plus an artifact store (local disk or S3).
 * Every write is one database transaction; artifact bytes are committed before their record.
 * @example const backend = await EmbeddedBackend.open({ database: 'sqlite:///tmp/mp/modelplane.db', artifacts: '/tmp/mp/artifacts' })
 */
export class EmbeddedBackend implements Backend {
  readonly location: { database: string; artifacts: string };
  readonly store: Store;
  readonly artifactStore: ArtifactStore;
  private readonly actor: string;

  private constructor(store: Store, artifactStore: ArtifactStore, actor: string) {
    this.store = store;
    this.artifactStore = artifactStore;
    this.actor = actor;
    this.location = { database: store.displayUrl, artifacts: artifactStore.uri };
  }

  /** Opens (creating and migrating as needed) the database and the artifact store. */
  static async open(options: EmbeddedBackendOptions): Promise<EmbeddedBackend> {
    const durability = parseDurability(options.durability);
    const artifactStore = await openArtifactStore(options.artifacts, {
      gcGraceMs: GC_GRACE_MS,
      durable: durability === 'full',
      ...(options.s3 === undefined ? {} : { s3: options.s3 }),
    });
    let store: Store;
    try {
      store = await Store.open(options.database, { durability });
    } catch (err) {
      await artifactStore.close().catch(() => undefined);
      throw err;
    }
    return new EmbeddedBackend(store, artifactStore, options.actor ?? 'unknown');
  }

  private get db(): Executor {
    return this.store.db;
  }

  // ── models ────────────────────────────────────────────────────────────────────────────────

  async createModel(input: CreateModelInput): Promise<Model> {
    const name = validateModelName(input.name);
    const card = validateCard(input);
    const tags = validateTags(input.tags);
    const t = now();
    return this.store.transaction(async (trx) => {
      const row = await insertModel(this.store, trx, { name, tags, ...card }, t);
      return (await toModels(trx, [row]))[0]!;
    });
  }

  async getModel(nameOrId: string): Promise<Model> {
    const row = await getModelRow(this.db, String(nameOrId));
    return (await toModels(this.db, [row]))[0]!;
  }

  async listModels(query: ListModelsQuery = {}): Promise<Page<Model>> {
    const filter = [
      ...parseFilter(query.filter, MODEL_FILTER_FIELDS),
      ...(query.name === undefined ? [] : [{ field: 'name', op: '~' as const, value: String(query.name) }]),
      ...optionalTag(query.tag),
    ];
    const sort = parseSort(query.sortBy, MODEL_SORT_FIELDS, { field: 'name', direction: 'asc' });
    return listModelRows(this.db, filter, sort, parsePageRequest(query.page, query.size));
  }

  async updateModel(nameOrId: string, patch: UpdateModelInput): Promise<Model> {
    const card = validateCard(patch);
    const name = patch.name === undefined ? undefined : validateModelName(patch.name);
    const addTags = validateTags(patch.addTags);
    const removeTags = validateTags(patch.removeTags);
    const t = now();
    return this.store.transaction(async (trx) => {
      const row = await lockModel(trx, String(nameOrId), t);
      await patchModel(this.store, trx, row, { ...card, ...(name === undefined ? {} : { name }), addTags, removeTags }, t);
      return (await toModels(trx, [await getModelRow(trx, row.id)]))[0]!;
    });
  }

  async deleteModel(nameOrId: string): Promise<void> {
    await this.store.transaction(async (trx) => deleteModelRow(trx, await lockModel(trx, String(nameOrId), now())));
  }

  // ── versions ──────────────────────────────────────────────────────────────────────────────

  private async lockOrCreateModel(trx: Executor, input: CreateModelVersionInput, t: string) {
    if (input.createModel) {
      const name = validateModelName(input.model);
      const created = await ensureModel(trx, name, validateCard(input.createModel), t);
      const tags = validateTags(input.createModel.tags);
      if (tags.length > 0) await patchModel(this.store, trx, created, { addTags: tags }, t);
    }
    return lockModel(trx, String(input.model), t);
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    const name = input.name === undefined || input.name === null ? undefined : validateVersionName(input.name);
    const description = validateText('description', input.description);
    const tags = validateTags(input.tags);
    const t = now();
    return this.store.transaction(async (trx) => {
      const model = await this.lockOrCreateModel(trx, input, t);
      const row = await insertVersion(this.store, trx, model, { ...(name === undefined ? {} : { name }), description, tags }, t);
      return (await toVersions(trx, [row]))[0]!;
    });
  }

  async getOrCreateModelVersion(input: CreateModelVersionInput & { name: string }): Promise<{ version: ModelVersion; created: boolean }> {
    const name = validateVersionName(input.name);
    const description = validateText('description', input.description);
    const tags = validateTags(input.tags);
    const t = now();
    return this.store.transaction(async (trx) => {
      const model = await this.lockOrCreateModel(trx, input, t);
      const existing = await findVersion(trx, model, { kind: 'name', name });
      if (existing) {
        if (tags.length > 0) await patchVersion(this.store, trx, existing, { addTags: tags }, t);
        return { version: (await toVersions(trx, [existing]))[0]!, created: false };
      }
      const row = await insertVersion(this.store, trx, model, { name, description, tags }, t);
      return { version: (await toVersions(trx, [row]))[0]!, created: true };
    });
  }

  async getModelVersion(model: string, version?: string | number): Promise<ModelVersion> {
    const row = await this.readVersionRow(String(model), versionSelectorOf(version));
    return (await toVersions(this.db, [row]))[0]!;
  }

  async getModelVersionId(model: string, version?: string | number): Promise<string> {
    return (await this.readVersionRow(String(model), versionSelectorOf(version))).id;
  }

  /**
   * The version a selector designates, outside any transaction. A model given by a name that is not
   * id-shaped is resolved together with the version in one query (the read hot path); a miss, or a
   * model given by id, takes the two-step path, which also produces the precise `NotFoundError`.
   */
  private async readVersionRow(model: string, selector: VersionSelector): Promise<VersionRow> {
    if (!isId(model) && isSingleQuerySelector(selector)) {
      const row = await findVersionByModelName(this.db, model, selector);
      if (row) return row;
    }
    return getVersionRow(this.db, await getModelRow(this.db, model), selector);
  }

  async getModelVersionById(id: string): Promise<ModelVersion> {
    const row = await findVersionById(this.db, String(id));
    if (!row) throw new NotFoundError(`Model version "${id}" not found.`, { modelVersionId: id });
    return (await toVersions(this.db, [row]))[0]!;
  }

  async listModelVersions(query: ListModelVersionsQuery): Promise<Page<ModelVersion>> {
    const model = await getModelRow(this.db, String(query.model));
    const filter = [
      ...parseFilter(query.filter, VERSION_FILTER_FIELDS),
      ...(query.stage === undefined ? [] : [{ field: 'stage', op: '=' as const, value: parseSettableStage(query.stage) }]),
      ...(query.name === undefined ? [] : [{ field: 'name', op: '~' as const, value: String(query.name) }]),
      ...optionalTag(query.tag),
    ];
    const page = parsePageRequest(query.page, query.size);
    const byMetadata = parseMetadataSort(query.sortBy);
    if (byMetadata) {
      const path = await resolveMetadataPath(this.db, model.id, byMetadata.segments);
      return listVersionRows(this.store, model.id, filter, { field: 'metadata', direction: byMetadata.direction, ...path }, page);
    }
    const sort = parseSort(query.sortBy, VERSION_SORT_FIELDS, { field: 'number', direction: 'asc' });
    return listVersionRows(this.store, model.id, filter, sort, page);
  }

  async updateModelVersion(model: string, version: string | number, patch: UpdateModelVersionInput, caller?: CallerContext): Promise<ModelVersion> {
    const stage = patch.stage === undefined ? undefined : parseSettableStage(patch.stage);
    const name = patch.name === undefined ? undefined : validateVersionName(patch.name);
    const description = validateText('description', patch.description);
    const reason = validateText('reason', patch.reason, 4096);
    const addTags = validateTags(patch.addTags);
    const removeTags = validateTags(patch.removeTags);
    const selector = versionSelectorOf(version);
    const t = now();
    return this.store.transaction(async (trx) => {
      const modelRow = await lockModel(trx, String(model), t);
      const row: VersionRow = await getVersionRow(trx, modelRow, selector);
      if (stage !== undefined) caller?.authorizeStageChange?.(row.stage as Stage, stage);
      // The row is kept current in memory instead of being read back: this is the promotion hot path.
      let current: VersionRow = row;
      if (name !== undefined || patch.description !== undefined || addTags.length > 0 || removeTags.length > 0) {
        await patchVersion(
          this.store,
          trx,
          row,
          { ...(name === undefined ? {} : { name }), ...(patch.description === undefined ? {} : { description }), addTags, removeTags },
          t,
        );
        current = { ...current, ...(name === undefined ? {} : { name }), ...(patch.description === undefined ? {} : { description }), updated_at: t };
      }
      if (stage !== undefined) {
        const changed = await changeStage(this.store, trx, modelRow, current, stage, { force: patch.force === true, actor: caller?.actor ?? this.actor, reason }, t);
        if (changed) current = { ...current, stage, stage_changed_at: t, updated_at: t };
      }
      return (await toVersions(trx, [current]))[0]!;
    });
  }

  async deleteModelVersion(id: string): Promise<void> {
    const row = await findVersionById(this.db, String(id));
    if (!row) throw new NotFoundError(`Model version "${id}" not found.`, { modelVersionId: id });
    await this.store.transaction(async (trx) => {
      await lockModel(trx, row.model_id, now());
      const current = await findVersionById(trx, row.id);
      if (!current) throw new NotFoundError(`Model version "${id}" not found.`, { modelVersionId: id });
      await deleteVersionRow(trx, current);
    });
  }

  async getStageHistory(model: string, options: { stage?: string } = {}): Promise<StageTransition[]> {
    const stage = options.stage === undefined ? undefined : parseSettableStage(options.stage);
    const modelRow = await getModelRow(this.db, String(model));
    return listTransitions(this.db, modelRow.id, stage);
  }

  /** One page of {@link getStageHistory}, counted and sliced in the database (the server's listing). */
  async getStageHistoryPage(model: string, options: { stage?: string; page: PageRequest }): Promise<Page<StageTransition>> {
    const stage = options.stage === undefined ? undefined : parseSettableStage(options.stage);
    const modelRow = await getModelRow(this.db, String(model));
    return listTransitionPage(this.db, modelRow.id, stage, options.page);
  }

  async getStageHolding(model: string, stage: string, at: Date): Promise<StageHolding> {
    const s = parseSettableStage(stage);
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new ValidationError('"at" must be a valid date, e.g. 2026-12-01T12:00:00Z.');
    const modelRow = await getModelRow(this.db, String(model));
    return stageHoldingAt(this.db, modelRow.id, s, at);
  }

  // ── artifacts ─────────────────────────────────────────────────────────────────────────────

  openBlobWriter(): Promise<BlobWriter> {
    return this.artifactStore.openWriter();
  }

  openBlobReader(contentHash: string): Promise<BlobReader> {
    return this.artifactStore.openReader(contentHash);
  }

  async createArtifactVersion(input: CreateArtifactVersionInput): Promise<ArtifactVersion> {
    const name = validateArtifactName(input.name);
    const type = parseArtifactType(input.type ?? 'data');
    const tags = validateTags(input.tags);
    let version: number | undefined;
    if (input.version !== undefined) {
      version = Number(input.version);
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new ValidationError(`Artifact version ${JSON.stringify(input.version)} is invalid: versions are whole numbers from 1; omit it to get the next one.`);
      }
    }
    const metadata = input.metadata === undefined ? [] : encodeMetadata(input.metadata);
    // The bytes must be complete before a record may point at them.
    const blob = await this.artifactStore.openReader(input.contentHash);
    const t = now();
    return this.store.transaction(async (trx) => {
      if (input.modelVersionId !== undefined && !(await findVersionById(trx, input.modelVersionId))) {
        throw new NotFoundError(`Model version "${input.modelVersionId}" not found; cannot link the artifact to it.`);
      }
      const row = await insertArtifactVersion(
        this.store,
        trx,
        {
          name,
          ...(version === undefined ? {} : { version }),
          type,
          uri: blobUri(this.artifactStore, blob.contentHash),
          contentHash: blob.contentHash,
          size: blob.size,
          materializer: String(input.materializer),
          dataType: String(input.dataType),
          producerRunId: input.producerRunId ?? null,
          producerStepRunId: input.producerStepRunId ?? null,
          tags,
        },
        t,
      );
      await appendMetadata(trx, 'artifact_version', row.id, metadata, t);
      if (input.modelVersionId !== undefined) await linkArtifact(trx, input.modelVersionId, row.id, t);
      return (await toArtifactVersions(trx, [row]))[0]!;
    });
  }

  async getArtifactVersion(nameOrId: string, version?: number | string): Promise<ArtifactVersion> {
    let v: number | undefined;
    if (version !== undefined && version !== null) {
      v = Number(version);
      if (!Number.isSafeInteger(v) || v < 1) throw new ValidationError(`Artifact version ${JSON.stringify(version)} is invalid: versions are whole numbers from 1.`);
    }
    const row = await getArtifactVersionRow(this.db, String(nameOrId), v);
    return (await toArtifactVersions(this.db, [row]))[0]!;
  }

  async listArtifactVersions(query: ListArtifactVersionsQuery = {}): Promise<Page<ArtifactVersion>> {
    const types = query.type === undefined ? undefined : (Array.isArray(query.type) ? query.type : [query.type]).map(parseArtifactType);
    return listArtifactVersionRows(
      this.db,
      {
        ...(query.name === undefined ? {} : { name: String(query.name) }),
        ...(types === undefined ? {} : { type: types }),
        ...(query.modelVersionId === undefined ? {} : { modelVersionId: String(query.modelVersionId) }),
        ...(query.runId === undefined ? {} : { runId: String(query.runId) }),
      },
      parsePageRequest(query.page, query.size),
    );
  }

  async linkArtifactVersion(modelVersionId: string, artifactVersionId: string): Promise<void> {
    await this.store.transaction(async (trx) => {
      if (!(await findVersionById(trx, modelVersionId))) throw new NotFoundError(`Model version "${modelVersionId}" not found.`);
      await getArtifactVersionRow(trx, artifactVersionId);
      await linkArtifact(trx, modelVersionId, artifactVersionId, now());
    });
  }

  gcArtifacts(): Promise<{ deleted: number; bytesFreed: number }> {
    return this.artifactStore.gc((hashes) => referencedHashes(this.db, hashes));
  }

  // ── metadata and runs ─────────────────────────────────────────────────────────────────────

  async logMetadata(target: MetadataTarget, metadata: Record<string, unknown>): Promise<void> {
    const entries = encodeMetadata(metadata);
    const t = now();
    await this.store.transaction(async (trx) => {
      await this.assertTargetExists(trx, target);
      await appendMetadata(trx, target.type, target.id, entries, t);
    });
  }

  private async assertTargetExists(trx: Executor, target: MetadataTarget): Promise<void> {
    const table = { model_version: 'model_versions', artifact_version: 'artifact_versions', step_run: 'step_runs', pipeline_run: 'pipeline_runs' } as const;
    const name = table[target.type];
    if (!name) throw new ValidationError(`Unknown metadata target type ${JSON.stringify(target.type)}.`);
    const found = await trx.selectFrom(name).select('id').where('id', '=', String(target.id)).executeTakeFirst();
    if (!found) throw new NotFoundError(`Cannot log metadata: ${target.type.replace('_', ' ')} "${target.id}" not found.`);
  }

  async createPipelineRun(input: CreatePipelineRunInput): Promise<PipelineRun> {
    let parameters: string;
    try {
      parameters = JSON.stringify(input.parameters ?? {});
    } catch {
      throw new ValidationError('Pipeline parameters must be JSON-serializable.');
    }
    const t = now();
    return this.store.transaction(async (trx) => {
      const row = await insertPipelineRun(
        trx,
        {
          ...(input.id === undefined ? {} : { id: input.id }),
          ...(input.name === undefined ? {} : { name: input.name }),
          pipelineName: input.pipelineName,
          status: parseRunStatus(input.status ?? 'running'),
          parameters,
          modelVersionId: input.modelVersionId ?? null,
        },
        t,
      );
      return (await toPipelineRuns(trx, [row]))[0]!;
    });
  }

  async getPipelineRun(id: string): Promise<PipelineRun> {
    return (await toPipelineRuns(this.db, [await getPipelineRunRow(this.db, String(id))]))[0]!;
  }

  async listPipelineRuns(query: ListPipelineRunsQuery = {}): Promise<Page<PipelineRun>> {
    return listPipelineRunRows(this.db, query, parsePageRequest(query.page, query.size));
  }

  async updatePipelineRun(id: string, patch: { status: RunStatus; error?: string | null; ended?: boolean }): Promise<PipelineRun> {
    const status = parseRunStatus(patch.status);
    const error = patch.error === undefined ? undefined : validateText('error', patch.error, 1_000_000);
    await this.store.transaction((trx) => updatePipelineRunRow(trx, String(id), { status, ...(error === undefined ? {} : { error }), ended: patch.ended === true }, now()));
    return this.getPipelineRun(id);
  }

  async createStepRun(input: CreateStepRunInput): Promise<StepRun> {
    const status = parseRunStatus(input.status ?? 'running');
    const t = now();
    return this.store.transaction(async (trx) => {
      await getPipelineRunRow(trx, input.pipelineRunId);
      const row = await insertStepRun(
        trx,
        {
          ...(input.id === undefined ? {} : { id: input.id }),
          pipelineRunId: input.pipelineRunId,
          name: String(input.name),
          status,
          cacheKey: input.cacheKey ?? null,
          modelVersionId: input.modelVersionId ?? null,
          inputs: input.inputs ?? {},
        },
        t,
      );
      return (await toStepRuns(trx, [row]))[0]!;
    });
  }

  async finishStepRun(id: string, input: FinishStepRunInput): Promise<StepRun> {
    const status = parseRunStatus(input.status);
    const error = validateText('error', input.error ?? null, 1_000_000);
    const logs = validateText('logs', input.logs ?? '', 16_000_000) ?? '';
    const t = now();
    return this.store.transaction(async (trx) => {
      const row = await getStepRunRow(trx, String(id));
      const outputs = input.outputs ?? {};
      await insertStepArtifacts(trx, row.id, 'output', outputs);
      if (row.model_version_id) {
        for (const avId of Object.values(outputs)) await linkArtifact(trx, row.model_version_id, avId, t);
        if (Object.keys(outputs).length > 0) await linkRun(trx, row.model_version_id, row.pipeline_run_id, 'producer', t);
      }
      await finishStepRunRow(trx, row.id, { status, cacheHit: input.cacheHit === true, error, logs }, t);
      return (await toStepRuns(trx, [await getStepRunRow(trx, row.id)]))[0]!;
    });
  }

  async getStepRun(id: string): Promise<StepRun> {
    return (await toStepRuns(this.db, [await getStepRunRow(this.db, String(id))]))[0]!;
  }

  async findStepRun(pipelineRunId: string, name: string): Promise<StepRun> {
    return (await toStepRuns(this.db, [await findStepRunByName(this.db, String(pipelineRunId), String(name))]))[0]!;
  }

  async listStepRuns(pipelineRunId: string): Promise<StepRun[]> {
    await getPipelineRunRow(this.db, String(pipelineRunId));
    return toStepRuns(this.db, await listStepRunRows(this.db, String(pipelineRunId)));
  }

  /** One page of {@link listStepRuns}, counted and sliced in the database (step logs are read for that page only). */
  async listStepRunPage(pipelineRunId: string, page: PageRequest): Promise<Page<StepRun>> {
    const id = String(pipelineRunId);
    await getPipelineRunRow(this.db, id);
    const [total, rows] = [await countStepRuns(this.db, id), await listStepRunRows(this.db, id, { limit: page.size, offset: page.offset })];
    return { items: await toStepRuns(this.db, rows), total, page: page.page, size: page.size };
  }

  async findCachedStepRun(cacheKey: string): Promise<StepRun | null> {
    const row = await findCachedStepRunRow(this.db, String(cacheKey));
    return row ? (await toStepRuns(this.db, [row]))[0]! : null;
  }

  async linkRunToModelVersion(modelVersionId: string, runId: string, relation: 'producer' | 'consumer'): Promise<void> {
    if (relation !== 'producer' && relation !== 'consumer') throw new ValidationError('relation must be "producer" or "consumer".');
    await this.store.transaction(async (trx) => {
      if (!(await findVersionById(trx, modelVersionId))) throw new NotFoundError(`Model version "${modelVersionId}" not found.`);
      await getPipelineRunRow(trx, runId);
      await linkRun(trx, modelVersionId, runId, relation, now());
    });
  }

  // ── dashboard reads (server only; not part of the Backend interface) ────────────────────

  /** Metadata paths of a model's versions (top-level keys and nested paths) with type and count. */
  async getMetadataKeys(model: string): Promise<MetadataKeyInfo[]> {
    const modelRow = await getModelRow(this.db, String(model));
    return listMetadataKeys(this.store, modelRow.id);
  }

  /** The numeric values at a dotted metadata path across a model's versions, by version number. */
  async getMetricSeries(model: string, key: string): Promise<MetricSeries> {
    const segments = parseMetadataPathSegments(key);
    const modelRow = await getModelRow(this.db, String(model));
    return metricSeries(this.store, modelRow.id, key, segments);
  }

  /** The lineage graph of a model version (runs, steps, artifacts; at most 500 nodes). */
  async getVersionLineage(modelVersionId: string): Promise<LineageGraph> {
    const row = await findVersionById(this.db, String(modelVersionId));
    if (!row) throw new NotFoundError(`Model version "${modelVersionId}" not found.`, { modelVersionId });
    return versionLineage(this.db, row);
  }

  /**
   * How each run relates to a model version: its `producer`/`consumer` links, or `producer` for an
   * unlinked run that was configured with this version (it created or wrote into it without outputs).
   */
  async getRunRelations(modelVersionId: string, runs: readonly PipelineRun[]): Promise<Map<string, RunRelation[]>> {
    const relations = await readRunRelations(this.db, String(modelVersionId), runs.map((r) => r.id));
    for (const run of runs) {
      const found = relations.get(run.id)!;
      if (found.length === 0 && run.modelVersionId === modelVersionId) found.push('producer');
    }
    return relations;
  }

  /** Stage transitions of every model after history position `afterSeq`, oldest first (the live feed). */
  listStageTransitionsAfter(afterSeq: number, limit: number): Promise<FeedTransition[]> {
    return listTransitionsAfter(this.db, afterSeq, limit);
  }

  /** Versions of every model created at or after `since` (the live feed; newest `limit`, oldest first). */
  listVersionsCreatedSince(since: Date, limit: number): Promise<CreatedVersion[]> {
    return listVersionsCreatedSince(this.db, since.toISOString(), limit);
  }

  /** The newest position in the stage history (0 when empty). */
  lastStageTransitionSeq(): Promise<number> {
    return lastTransitionSeq(this.db);
  }

  async checkIntegrity(): Promise<string[]> {
    return [...(await this.store.capabilities.checkIntegrity(this.store.db)), ...(await checkRegistryInvariants(this.store.db))];
  }

  /** The store's change token (see `Store.changeToken`): equal tokens mean no commit in between; null when unknown. */
  changeToken(): string | null {
    return this.store.changeToken();
  }

  async close(): Promise<void> {
    await Promise.all([this.store.close(), this.artifactStore.close()]);
  }
}

const RUN_STATUSES: readonly RunStatus[] = ['initializing', 'running', 'completed', 'failed', 'cached', 'skipped'];

function parseRunStatus(value: unknown): RunStatus {
  if (RUN_STATUSES.includes(value as RunStatus)) return value as RunStatus;
  throw new ValidationError(`Unknown run status ${JSON.stringify(value)}: use one of ${RUN_STATUSES.join(', ')}.`);
}

function blobUri(store: ArtifactStore, contentHash: string): string {
  return `${store.uri.replace(/\/$/, '')}/sha256/${contentHash.slice(0, 2)}/${contentHash.slice(2, 4)}/${contentHash}`;
}
