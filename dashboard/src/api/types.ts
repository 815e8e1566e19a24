/**
 * Wire types of the REST API: the domain entities with dates as ISO strings, plus the shapes of the
 * dashboard endpoints (contract in the server's dashboard API notes). Only types are imported from src/domain.
 */
import type {
  ArtifactVersion as DomainArtifactVersion,
  Model as DomainModel,
  ModelVersion as DomainModelVersion,
  Page,
  PipelineRun as DomainPipelineRun,
  StageTransition as DomainStageTransition,
  StepRun as DomainStepRun,
} from '../../../src/domain/entities.js';
import type { Stage } from '../../../src/domain/stages.js';

export type { Page, Stage };

/** `T` as it travels in JSON: every `Date` becomes an ISO string. */
export type Wire<T> = T extends Date
  ? string
  : T extends Array<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** A version named by id, number and name (stage holders on a model). */
export interface VersionRef {
  id: string;
  number: number;
  name: string;
}

/** A model on the wire; the stage holders are optional until every server sends them. */
export type Model = Wire<DomainModel> & { productionVersion?: VersionRef | null; stagingVersion?: VersionRef | null };
/** A model version on the wire. */
export type ModelVersion = Wire<DomainModelVersion>;
/** An artifact version on the wire. */
export type ArtifactVersion = Wire<DomainArtifactVersion>;
/** A pipeline run on the wire. */
export type PipelineRun = Wire<DomainPipelineRun>;
/** A step run on the wire. */
export type StepRun = Wire<DomainStepRun>;
/** One stage history entry on the wire. */
export type StageTransition = Wire<DomainStageTransition>;

/** `GET /health`. */
export interface Health {
  status: 'ok';
  version: string;
  auth: boolean;
}

/** `GET /api_keys/me`. */
export interface WhoAmI {
  authenticated: boolean;
  id: string | null;
  name: string | null;
  role: string | null;
}

/** The roles of API keys, least first. */
export type Role = 'viewer' | 'editor' | 'admin';

/** `GET /models/{model}/metadata_keys`. */
export interface MetadataKeys {
  keys: Array<{ key: string; type: 'number' | 'string' | 'boolean' | 'object' | 'array' | 'null'; count: number }>;
}

/** `GET /models/{model}/metric_series`. */
export interface MetricSeries {
  key: string;
  points: Array<{ versionId: string; number: number; name: string; stage: Stage; value: number; createdAt: string }>;
}

/** `GET /artifact_versions/{id}/preview`. */
export type ArtifactPreview =
  | { kind: 'json'; value: unknown; truncated: boolean }
  | { kind: 'table'; columns: string[]; rows: unknown[][]; totalRows: number }
  | { kind: 'image'; mediaType: string }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'binary'; size: number; dataType: string; materializer: string };

/** One node of a lineage graph. */
export interface LineageNode {
  id: string;
  kind: 'artifact' | 'step' | 'run' | 'model_version';
  label: string;
  status?: string;
  artifactType?: string;
  refId: string;
}

/** `GET /model_versions/{id}/lineage`. */
export interface Lineage {
  nodes: LineageNode[];
  edges: Array<{ source: string; target: string; label?: string }>;
}

/** Data of a `stage_change` server-sent event. */
export interface StageChangeEvent {
  modelId: string;
  modelName: string;
  transition: StageTransition;
}

/** Data of a `version_created` server-sent event. */
export interface VersionCreatedEvent {
  modelId: string;
  modelName: string;
  versionId: string;
  number: number;
  name: string;
}
