import type { Generated } from 'kysely';

// Timestamps are ISO-8601 UTC text (`2026-12-04T16:22:46.123Z`): identical on every dialect and
// ordered correctly as plain strings. Ids are UUID text. JSON is stored as text.

/** Row of `models`. `write_seq` is bumped by every write that must be serialized per model. */
export interface ModelsTable {
  id: string;
  name: string;
  license: string | null;
  description: string | null;
  audience: string | null;
  use_cases: string | null;
  limitations: string | null;
  trade_offs: string | null;
  ethics: string | null;
  created_at: string;
  updated_at: string;
  write_seq: number;
}

/** Row of `model_tags`. */
export interface ModelTagsTable {
  model_id: string;
  tag: string;
}

/** Row of `model_versions`. */
export interface ModelVersionsTable {
  id: string;
  model_id: string;
  number: number;
  name: string;
  description: string | null;
  stage: string;
  /** When the version last changed stage; orders `archived` holders (the one archived last wins). */
  stage_changed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Row of `model_version_tags`. */
export interface ModelVersionTagsTable {
  model_version_id: string;
  tag: string;
}

/** Row of `stage_transitions`, the append-only stage history. */
export interface StageTransitionsTable {
  seq: Generated<number>;
  model_id: string;
  model_version_id: string;
  version_number: number;
  version_name: string;
  from_stage: string;
  to_stage: string;
  displaced_version_id: string | null;
  displaced_version_number: number | null;
  actor: string;
  reason: string | null;
  created_at: string;
}

/** Row of `artifacts` (one per artifact name). */
export interface ArtifactsTable {
  id: string;
  name: string;
  created_at: string;
  write_seq: number;
}

/** Row of `artifact_versions`. */
export interface ArtifactVersionsTable {
  id: string;
  artifact_id: string;
  version: number;
  type: string;
  uri: string;
  content_hash: string;
  size: number;
  materializer: string;
  data_type: string;
  producer_run_id: string | null;
  producer_step_run_id: string | null;
  created_at: string;
}

/** Row of `artifact_version_tags`. */
export interface ArtifactVersionTagsTable {
  artifact_version_id: string;
  tag: string;
}

/** Row of `model_version_artifacts`: which artifact versions belong to a model version. */
export interface ModelVersionArtifactsTable {
  model_version_id: string;
  artifact_version_id: string;
  created_at: string;
}

/** Row of `pipeline_runs`. */
export interface PipelineRunsTable {
  id: string;
  name: string;
  pipeline_name: string;
  status: string;
  parameters: string;
  model_version_id: string | null;
  started_at: string;
  ended_at: string | null;
  error: string | null;
}

/** Row of `step_runs`. */
export interface StepRunsTable {
  id: string;
  pipeline_run_id: string;
  name: string;
  status: string;
  cache_hit: number;
  cache_key: string | null;
  model_version_id: string | null;
  started_at: string;
  ended_at: string | null;
  error: string | null;
  logs: string;
}

/** Row of `step_run_artifacts`: inputs and outputs of step runs. */
export interface StepRunArtifactsTable {
  step_run_id: string;
  artifact_version_id: string;
  name: string;
  direction: string;
}

/** Row of `model_version_runs`: runs that produced into or consumed from a model version. */
export interface ModelVersionRunsTable {
  model_version_id: string;
  pipeline_run_id: string;
  relation: string;
  created_at: string;
}

/** Row of `run_metadata`: append-only; the newest row per (resource, key) is the current value. */
export interface RunMetadataTable {
  seq: Generated<number>;
  resource_type: string;
  resource_id: string;
  key: string;
  value: string;
  type: string;
  created_at: string;
}

/**
 * Row of `api_keys`. `salt` and `hash` are hex; the raw key is never stored. `name` is unique among
 * rows whose `revoked_at` is null. `last_used_at` is refreshed at most about once a minute.
 */
export interface ApiKeysTable {
  id: string;
  name: string;
  role: string;
  salt: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The whole database as Kysely sees it. */
export interface Database {
  models: ModelsTable;
  model_tags: ModelTagsTable;
  model_versions: ModelVersionsTable;
  model_version_tags: ModelVersionTagsTable;
  stage_transitions: StageTransitionsTable;
  artifacts: ArtifactsTable;
  artifact_versions: ArtifactVersionsTable;
  artifact_version_tags: ArtifactVersionTagsTable;
  model_version_artifacts: ModelVersionArtifactsTable;
  pipeline_runs: PipelineRunsTable;
  step_runs: StepRunsTable;
  step_run_artifacts: StepRunArtifactsTable;
  model_version_runs: ModelVersionRunsTable;
  run_metadata: RunMetadataTable;
  api_keys: ApiKeysTable;
}
