import type { ArtifactType } from './artifact-type.js';
import type { MetadataEntry } from './metadata-value.js';
import type { Stage } from './stages.js';

/**
 * Metadata as read: the newest value per key. Values are typed `any` on purpose so that the
 * specification's `runMetadata['evaluation_metrics'].value.accuracy` reads without casts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RunMetadata = Record<string, MetadataEntry<any>>;

/** A short reference to one model version: enough to show and link it without loading it. */
export interface VersionRef {
  id: string;
  number: number;
  name: string;
}

/** A named ML use case that groups versions, artifacts, runs and metadata. */
export interface Model {
  id: string;
  name: string;
  license: string | null;
  description: string | null;
  audience: string | null;
  useCases: string | null;
  limitations: string | null;
  tradeOffs: string | null;
  ethics: string | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  /** Highest version number, or null while the model has no versions. */
  latestVersion: number | null;
  /** Id of the version with the highest number. */
  latestVersionId: string | null;
  /** Name of the version with the highest number. */
  latestVersionName: string | null;
  /** The version holding `production`, or null when none does. */
  productionVersion: VersionRef | null;
  /** The version holding `staging`, or null when none does. */
  stagingVersion: VersionRef | null;
}

/** One version of a model: what one training run (or a manual registration) produced. */
export interface ModelVersion {
  id: string;
  modelId: string;
  modelName: string;
  /** 1, 2, 3 … per model; named versions consume numbers too. */
  number: number;
  /** Defaults to `String(number)`. */
  name: string;
  description: string | null;
  stage: Stage;
  tags: string[];
  runMetadata: RunMetadata;
  createdAt: Date;
  updatedAt: Date;
}

/** One entry of a model's append-only stage history. */
export interface StageTransition {
  /** Position in the history; strictly increasing per store. */
  id: number;
  modelId: string;
  modelVersionId: string;
  versionNumber: number;
  versionName: string;
  fromStage: Stage;
  toStage: Stage;
  /** The version that held `toStage` and was moved to `archived` by a forced transition. */
  displacedVersionId: string | null;
  displacedVersionNumber: number | null;
  actor: string;
  reason: string | null;
  createdAt: Date;
}

/** Who held a stage at a past moment (answer of `getStageHistory(model, { stage, at })`). */
export interface StageHolding {
  stage: Stage;
  at: Date;
  /** The holder (for `archived`, the version archived last), or null if nobody held it. */
  holder: { modelVersionId: string; versionNumber: number; versionName: string; since: Date } | null;
  /** Every holder at that moment (one at most for staging and production). */
  holders: Array<{ modelVersionId: string; versionNumber: number; versionName: string; since: Date }>;
}

/** One stored value of a named artifact. */
export interface ArtifactVersion {
  id: string;
  artifactId: string;
  name: string;
  /** 1, 2, 3 … per artifact name; ordered numerically. */
  version: number;
  type: ArtifactType;
  uri: string;
  /** sha256 hex of the bytes. */
  contentHash: string;
  size: number;
  /** Name of the materializer that wrote the bytes. */
  materializer: string;
  /** Concrete type of the value (e.g. `Float32Array`, `records`), used to load the same type back. */
  dataType: string;
  producerRunId: string | null;
  producerStepRunId: string | null;
  tags: string[];
  runMetadata: RunMetadata;
  createdAt: Date;
}

/** Status of a pipeline run or a step run. */
export type RunStatus = 'initializing' | 'running' | 'completed' | 'failed' | 'cached' | 'skipped';

/** One execution of a pipeline. */
export interface PipelineRun {
  id: string;
  name: string;
  pipelineName: string;
  status: RunStatus;
  parameters: Record<string, unknown>;
  modelVersionId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  error: string | null;
  runMetadata: RunMetadata;
}

/** One execution of a step within a pipeline run. */
export interface StepRun {
  id: string;
  pipelineRunId: string;
  name: string;
  status: RunStatus;
  cacheHit: boolean;
  cacheKey: string | null;
  modelVersionId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  error: string | null;
  logs: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  runMetadata: RunMetadata;
}

/** How a pipeline run relates to a model version. */
export type RunRelation = 'producer' | 'consumer';

/** One page of a listing. `page` is 1-based; `total` counts every match, not just this page. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

/** The kinds of thing metadata can be attached to. */
export type MetadataResourceType = 'model_version' | 'artifact_version' | 'step_run' | 'pipeline_run';
