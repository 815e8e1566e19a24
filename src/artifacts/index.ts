/** Artifact storage (content-addressed blobs) and materializers (values ↔ bytes). */
export type { ArtifactStore, BlobInfo, BlobReader, BlobWriter } from './artifact-store.js';
export type { ArtifactReader, ArtifactWriter, Materializer } from './materializer.js';
export { LocalArtifactStore, type LocalArtifactStoreOptions } from './local-artifact-store.js';
// Types only: the S3 store (and the AWS SDK, ~130 ms to load) is imported lazily by openArtifactStore, so
// local-only use never pays for it. Import the class from './s3-artifact-store.js' when needed directly.
export type { S3ArtifactStore, S3ArtifactStoreOptions, S3ConnectionOptions, S3Location } from './s3-artifact-store.js';
export { openArtifactStore, ARTIFACT_STORE_FORMS, type OpenArtifactStoreOptions } from './open-artifact-store.js';
export { jsonMaterializer, findJsonProblem } from './json-materializer.js';
export { bytesMaterializer } from './bytes-materializer.js';
export { typedArrayMaterializer, type NonByteTypedArray } from './typed-array-materializer.js';
export { dateMaterializer } from './date-materializer.js';
export { tableMaterializer, type TableRecord } from './table-materializer.js';
export { classMaterializer, type JsonSerializableClass } from './class-materializer.js';
export { registerMaterializer, unregisterMaterializer, findMaterializer, getMaterializer } from './materializer-registry.js';
export { writeValue, readValue, type WrittenValue } from './value-codec.js';
