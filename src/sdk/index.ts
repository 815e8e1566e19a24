// The SDK: Client, Model, lazy artifact refs, saveArtifact and logMetadata.
export { Client, type ClientOptions, type CreateModelVersionOptions, type StageHistoryOptions } from './client.js';
export { Model, type ModelOptions } from './model.js';
export { ArtifactRef, type ArtifactGroupFilter } from './artifact-ref.js';
export { saveArtifact, type SaveArtifactFunctionOptions } from './save-artifact.js';
export type { SaveArtifactOptions } from './artifact-io.js';
export { logMetadata } from './log-metadata-function.js';
export type { LogMetadataOptions } from './log-metadata.js';
export { resolveConfig, type ResolvedConfig, type ConfigOptions } from './config.js';
