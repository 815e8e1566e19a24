import type { BlobReader, BlobWriter } from '../artifacts/artifact-store.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import type {
  ArtifactVersion,
  MetadataResourceType,
  Model,
  ModelVersion,
  Page,
  PipelineRun,
  RunStatus,
  StageHolding,
  StageTransition,
  StepRun,
} from '../domain/entities.js';
import type { ModelStages, Stage } from '../domain/stages.js';

/** The descriptive fields of a model (its "model card"). */
export interface ModelCardInput {
  license?: string | null;
  description?: string | null;
  audience?: string | null;
  useCases?: string | null;
  limitations?: string | null;
  tradeOffs?: string | null;
  ethics?: string | null;
}

/** Input of `createModel`. */
export interface CreateModelInput extends ModelCardInput {
  name: string;
  tags?: string[];
}

/** Input of `updateModel`: only the fields given change. */
export interface UpdateModelInput extends ModelCardInput {
  name?: string;
  addTags?: string[];
  removeTags?: string[];
}

/** Query of `listModels`. `filter` uses the shared filter syntax; `sortBy` is `field` or `-field`. */
export interface ListModelsQuery {
  name?: string;
  tag?: string;
  filter?: string;
  sortBy?: string;
  page?: number;
  size?: number;
}

/** Input of `createModelVersion`. With `modelCard`, a missing model is created with that card. */
export interface CreateModelVersionInput {
  model: string;
  name?: string;
  description?: string | null;
  tags?: string[];
  /** Create the model if it does not exist (pipelines do this); absent → a missing model is `NotFoundError`. */
  createModel?: ModelCardInput & { tags?: string[] };
}

/** Query of `listModelVersions`. */
export interface ListModelVersionsQuery {
  model: string;
  stage?: Stage | string;
  tag?: string;
  name?: string;
  filter?: string;
  sortBy?: string;
  page?: number;
  size?: number;
}

/** Input of `updateModelVersion`: a stage change and/or field changes, in one transaction. */
export interface UpdateModelVersionInput {
  stage?: Stage | string;
  force?: boolean;
  reason?: string;
  name?: string;
  description?: string | null;
  addTags?: string[];
  removeTags?: string[];
}

/** What one stored value records, once its bytes are committed to the artifact store. */
export interface CreateArtifactVersionInput {
  name: string;
  version?: number;
  type?: ArtifactType;
  contentHash: string;
  materializer: string;
  dataType: string;
  tags?: string[];
  /** Link the new version to this model version in the same transaction. */
  modelVersionId?: string;
  producerRunId?: string;
  producerStepRunId?: string;
  /** Metadata attached to the new artifact version in the same transaction. */
  metadata?: Record<string, unknown>;
}

/** Query of `listArtifactVersions`. */
export interface ListArtifactVersionsQuery {
  name?: string;
  type?: ArtifactType | ArtifactType[];
  modelVersionId?: string;
  runId?: string;
  page?: number;
  size?: number;
}

/** What metadata is attached to. */
export interface MetadataTarget {
  type: MetadataResourceType;
  id: string;
}

/** Input of `createPipelineRun`. */
export interface CreatePipelineRunInput {
  /** A pre-generated id (pipelines render `{run.id}` templates before the run is recorded). */
  id?: string;
  name?: string;
  pipelineName: string;
  status?: RunStatus;
  parameters?: Record<string, unknown>;
  modelVersionId?: string | null;
}

/** Input of `createStepRun`. */
export interface CreateStepRunInput {
  id?: string;
  pipelineRunId: string;
  name: string;
  status?: RunStatus;
  cacheKey?: string | null;
  /** The model version the step's outputs are linked to. */
  modelVersionId?: string | null;
  /** Input name → artifact version id. */
  inputs?: Record<string, string>;
}

/** Input of `finishStepRun`. */
export interface FinishStepRunInput {
  status: RunStatus;
  cacheHit?: boolean;
  /** Output name → artifact version id; linked to the step's model version in the same transaction. */
  outputs?: Record<string, string>;
  error?: string | null;
  logs?: string;
}

/** Query of `listPipelineRuns`. */
export interface ListPipelineRunsQuery {
  pipeline?: string;
  modelVersionId?: string;
  status?: RunStatus;
  page?: number;
  size?: number;
}

/** Who performs writes (recorded as the actor of stage transitions). */
export interface CallerContext {
  actor: string;
  /**
   * Called inside the write transaction, after the version's row is locked and before anything changes,
   * with the version's current stage and the requested one; throwing aborts the update. The server
   * checks roles here so that the stage it authorizes against cannot change before the write.
   */
  authorizeStageChange?: (from: Stage, to: Stage) => void;
}

/**
 * Everything the SDK, CLI and server need from storage. Two implementations: in-process (embedded
 * store + artifact store) and HTTP (a modelplane server). Both validate their input and throw the
 * error classes of `src/domain/errors.ts`. One contract suite runs against every implementation.
 */
export interface Backend {
  /** A human-readable description of where data lives (database and artifact store). */
  readonly location: { database: string; artifacts: string };

  createModel(input: CreateModelInput): Promise<Model>;
  getModel(nameOrId: string): Promise<Model>;
  listModels(query?: ListModelsQuery): Promise<Page<Model>>;
  updateModel(nameOrId: string, patch: UpdateModelInput): Promise<Model>;
  deleteModel(nameOrId: string): Promise<void>;

  createModelVersion(input: CreateModelVersionInput, caller?: CallerContext): Promise<ModelVersion>;
  /** Returns the version named `name`, creating it (and the model, with `createModel`) when missing. */
  getOrCreateModelVersion(input: CreateModelVersionInput & { name: string }): Promise<{ version: ModelVersion; created: boolean }>;
  /** `version`: id, number, digit string, name or stage (incl. `latest`); absent → latest. */
  getModelVersion(model: string, version?: string | number | ModelStages): Promise<ModelVersion>;
  getModelVersionById(id: string): Promise<ModelVersion>;
  /** Just the id of the version a selector designates (cheaper than `getModelVersion`). */
  getModelVersionId(model: string, version?: string | number | ModelStages): Promise<string>;
  listModelVersions(query: ListModelVersionsQuery): Promise<Page<ModelVersion>>;
  updateModelVersion(model: string, version: string | number, patch: UpdateModelVersionInput, caller?: CallerContext): Promise<ModelVersion>;
  deleteModelVersion(id: string): Promise<void>;
  getStageHistory(model: string, options?: { stage?: Stage | string }): Promise<StageTransition[]>;
  getStageHolding(model: string, stage: Stage | string, at: Date): Promise<StageHolding>;

  /** Starts writing the bytes of a new value; commit it before `createArtifactVersion`. */
  openBlobWriter(): Promise<BlobWriter>;
  openBlobReader(contentHash: string): Promise<BlobReader>;
  createArtifactVersion(input: CreateArtifactVersionInput): Promise<ArtifactVersion>;
  getArtifactVersion(nameOrId: string, version?: number | string): Promise<ArtifactVersion>;
  listArtifactVersions(query?: ListArtifactVersionsQuery): Promise<Page<ArtifactVersion>>;
  /** Idempotent. */
  linkArtifactVersion(modelVersionId: string, artifactVersionId: string): Promise<void>;
  /** Frees stored bytes no artifact version refers to. */
  gcArtifacts(): Promise<{ deleted: number; bytesFreed: number }>;

  /** Appends metadata (all keys or none); newest value per key wins on read. */
  logMetadata(target: MetadataTarget, metadata: Record<string, unknown>): Promise<void>;

  createPipelineRun(input: CreatePipelineRunInput): Promise<PipelineRun>;
  getPipelineRun(id: string): Promise<PipelineRun>;
  listPipelineRuns(query?: ListPipelineRunsQuery): Promise<Page<PipelineRun>>;
  /** Sets a run's status; `ended` stamps its end time. */
  updatePipelineRun(id: string, patch: { status: RunStatus; error?: string | null; ended?: boolean }): Promise<PipelineRun>;
  createStepRun(input: CreateStepRunInput): Promise<StepRun>;
  /** Ends a step run, records its outputs and links them (idempotently) to the step's model version. */
  finishStepRun(id: string, input: FinishStepRunInput): Promise<StepRun>;
  getStepRun(id: string): Promise<StepRun>;
  /** The step named `name` of a pipeline run. */
  findStepRun(pipelineRunId: string, name: string): Promise<StepRun>;
  listStepRuns(pipelineRunId: string): Promise<StepRun[]>;
  /** The newest completed step run with this cache key, or null. */
  findCachedStepRun(cacheKey: string): Promise<StepRun | null>;
  /** Links a pipeline run to a model version as producer or consumer; idempotent. */
  linkRunToModelVersion(modelVersionId: string, runId: string, relation: 'producer' | 'consumer'): Promise<void>;

  /** Problems found by an integrity check of storage and the registry's invariants; empty when healthy. */
  checkIntegrity(): Promise<string[]>;
  close(): Promise<void>;
}
