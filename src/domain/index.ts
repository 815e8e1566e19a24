// The domain layer: pure types and rules shared by every other layer (and the dashboard, as types).
export * from './errors.js';
export * from './stages.js';
export * from './artifact-type.js';
export * from './names.js';
export * from './version-selector.js';
export * from './version-template.js';
export * from './metadata-value.js';
export * from './entities.js';
export * from './pagination.js';
export * from './filter.js';
export * from './durability.js';
