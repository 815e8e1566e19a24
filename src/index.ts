/**
 * modelplane: a model control plane for machine learning — models, versions, stages, artifacts and
 * metadata, embedded (SQLite + local disk) or on a server.
 * @example
 * import { Client, Model, ModelStages } from 'modelplane'
 * const client = new Client()
 * await client.createModel({ name: 'iris_classifier', license: 'Apache 2.0' })
 * @packageDocumentation
 */
export * from './sdk/index.js';
import { setDefaultOrchestrator } from './sdk/pipeline/orchestrator.js';
import { LocalOrchestrator } from './orchestrators/local/local-orchestrator.js';
export { LocalOrchestrator, type LocalOrchestratorOptions } from './orchestrators/local/local-orchestrator.js';

// Pipelines run in this process unless told otherwise.
setDefaultOrchestrator(() => new LocalOrchestrator());
export {
  ModelplaneError,
  NotFoundError,
  EntityExistsError,
  ValidationError,
  StageConflictError,
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  type ErrorCode,
} from './domain/errors.js';
export { ModelStages, type Stage } from './domain/stages.js';
export { ArtifactType } from './domain/artifact-type.js';
export type {
  Model as ModelRecord,
  VersionRef,
  ModelVersion,
  ArtifactVersion,
  StageTransition,
  StageHolding,
  PipelineRun,
  StepRun,
  RunStatus,
  RunMetadata,
  Page,
} from './domain/entities.js';
export type { MetadataEntry, MetadataType } from './domain/metadata-value.js';
export { registerMaterializer, classMaterializer } from './artifacts/index.js';
export type { Materializer, ArtifactReader, ArtifactWriter } from './artifacts/index.js';
export type { Backend } from './backend/backend.js';
export { EmbeddedBackend } from './backend/embedded-backend.js';
