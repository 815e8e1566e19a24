// The metadata store: schema, migrations, dialects and the repositories the embedded backend composes.
export { Store, type Executor } from './store.js';
export type { DialectCapabilities, StoreErrorKind } from './dialect-capabilities.js';
export * from './model-repository.js';
export * from './version-repository.js';
export * from './stage-repository.js';
export * from './artifact-repository.js';
export * from './metadata-repository.js';
export * from './run-repository.js';
export * from './tag-repository.js';
export * from './step-run-repository.js';
export * from './api-key-repository.js';
export * from './version-metadata-repository.js';
export * from './lineage-repository.js';
