// The SDK: Client, Model, lazy artifact refs, saveArtifact and logMetadata.
export { Client, type ClientOptions, type CreateModelVersionOptions, type StageHistoryOptions } from './client.js';
export { Model, type ModelOptions } from './model.js';
export { ArtifactRef, type ArtifactGroupFilter } from './artifact-ref.js';
export { saveArtifact, type SaveArtifactFunctionOptions } from './save-artifact.js';
export type { SaveArtifactOptions } from './artifact-io.js';
export { logMetadata } from './log-metadata-function.js';
export type { LogMetadataOptions } from './log-metadata.js';
export { resolveConfig, type ResolvedConfig, type ConfigOptions } from './config.js';
export { step, type Step, type MultiOutputStep, type StepInput, type StepInputs, type StepOptions, type SingleOutputStepOptions, type MultiOutputStepOptions } from './pipeline/step.js';
export { pipeline, type Pipeline, type PipelineOptions, type PipelineRunResult } from './pipeline/pipeline.js';
export { ArtifactConfig, type ArtifactConfigOptions } from './pipeline/artifact-config.js';
export { StepOutput } from './pipeline/step-output.js';
export { getPipelineContext, getStepContext, type PipelineContext, type StepContext } from './pipeline/contexts.js';
export { setDefaultOrchestrator, type Orchestrator, type RunExecution, type StepOutcome } from './pipeline/orchestrator.js';
export type { RetryConfig } from './pipeline/step-definition.js';
