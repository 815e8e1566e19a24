import { readValue, writeValue } from '../artifacts/value-codec.js';
import type { Backend } from '../backend/backend.js';
import { parseArtifactType, type ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactVersion } from '../domain/entities.js';
import { ValidationError } from '../domain/errors.js';
import { validateArtifactName } from '../domain/names.js';

/** Options of `saveArtifact`. */
export interface SaveArtifactOptions {
  /** Shorthand for `artifactType: 'model'`. */
  isModelArtifact?: boolean;
  /** Shorthand for `artifactType: 'deployment'`. */
  isDeploymentArtifact?: boolean;
  /** Default `data`. */
  artifactType?: ArtifactType;
  /** An explicit version number; absent → the next one. */
  version?: number;
  tags?: string[];
  /** Force a registered materializer by name instead of picking one by the value's type. */
  materializer?: string;
  /** Metadata attached to the new artifact version. */
  metadata?: Record<string, unknown>;
  /** Link the new artifact version to this model version (by id). */
  modelVersionId?: string;
}

/** @internal Save options that only step execution sets: who produced the value. */
export interface ProducerOptions {
  producerRunId?: string;
  producerStepRunId?: string;
}

/** The artifact type that save options ask for. */
export function artifactTypeOf(options: Pick<SaveArtifactOptions, 'isModelArtifact' | 'isDeploymentArtifact' | 'artifactType'>): ArtifactType {
  if (options.isModelArtifact && options.isDeploymentArtifact) {
    throw new ValidationError('An artifact cannot be both a model artifact and a deployment artifact; pick one.');
  }
  if (options.isModelArtifact) return 'model';
  if (options.isDeploymentArtifact) return 'deployment';
  return options.artifactType === undefined ? 'data' : parseArtifactType(options.artifactType);
}

/**
 * Materializes `value` into the artifact store (bytes first, under a temporary name, published only
 * when complete), then records the artifact version. A crash in between leaves no record.
 */
export async function saveArtifactValue(backend: Backend, name: string, value: unknown, options: SaveArtifactOptions & ProducerOptions = {}): Promise<ArtifactVersion> {
  // Reject bad input before any byte is written.
  validateArtifactName(name);
  const type = artifactTypeOf(options);
  const writer = await backend.openBlobWriter();
  const written = await writeValue(value, writer, options.materializer === undefined ? {} : { materializer: options.materializer });
  return backend.createArtifactVersion({
    name,
    type,
    contentHash: written.blob.contentHash,
    materializer: written.materializer,
    dataType: written.dataType,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.tags === undefined ? {} : { tags: options.tags }),
    ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    ...(options.modelVersionId === undefined ? {} : { modelVersionId: options.modelVersionId }),
    ...(options.producerRunId === undefined ? {} : { producerRunId: options.producerRunId }),
    ...(options.producerStepRunId === undefined ? {} : { producerStepRunId: options.producerStepRunId }),
  });
}

/** Loads an artifact version's value with the materializer that saved it. */
export async function loadArtifactValue(backend: Backend, av: ArtifactVersion): Promise<unknown> {
  const reader = await backend.openBlobReader(av.contentHash);
  return readValue(reader, av.materializer, av.dataType);
}
