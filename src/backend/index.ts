// The backend interface and its implementations.
export type * from './backend.js';
export { EmbeddedBackend, type EmbeddedBackendOptions } from './embedded-backend.js';
