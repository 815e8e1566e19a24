/** Artifact storage (content-addressed blobs) and materializers (values ↔ bytes). */
export type { ArtifactStore, BlobInfo, BlobReader, BlobWriter } from './artifact-store.js';
export type { ArtifactReader, ArtifactWriter, Materializer } from './materializer.js';
export { LocalArtifactStore, type LocalArtifactStoreOptions } from './local-artifact-store.js';
export { jsonMaterializer, findJsonProblem } from './json-materializer.js';
export { bytesMaterializer } from './bytes-materializer.js';
export { typedArrayMaterializer, type NonByteTypedArray } from './typed-array-materializer.js';
export { dateMaterializer } from './date-materializer.js';
export { tableMaterializer, type TableRecord } from './table-materializer.js';
export { classMaterializer, type JsonSerializableClass } from './class-materializer.js';
export { registerMaterializer, unregisterMaterializer, findMaterializer, getMaterializer } from './materializer-registry.js';
export { writeValue, readValue, type WrittenValue } from './value-codec.js';
