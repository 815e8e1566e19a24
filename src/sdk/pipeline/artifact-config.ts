import { parseArtifactType, type ArtifactType } from '../../domain/artifact-type.js';
import { ValidationError } from '../../domain/errors.js';
import { validateArtifactName, validateTags } from '../../domain/names.js';

/** Options of {@link ArtifactConfig}. */
export interface ArtifactConfigOptions {
  /** Name of the artifact the output is stored as. */
  name: string;
  /** An explicit artifact version number (absent → the next one). */
  version?: number;
  tags?: string[];
  /** Default `data`. */
  artifactType?: ArtifactType;
  /** Shorthand for `artifactType: 'model'`. */
  isModelArtifact?: boolean;
  /** Shorthand for `artifactType: 'deployment'`. */
  isDeploymentArtifact?: boolean;
  /** Metadata attached to each artifact version this output produces. */
  runMetadata?: Record<string, unknown>;
  /** Force a registered materializer by name. */
  materializer?: string;
}

/** How a step output is named, typed and tagged. Build with `ArtifactConfig({...})`. */
export interface ArtifactConfig extends Readonly<ArtifactConfigOptions> {
  readonly kind: 'artifact-config';
  /** The resolved artifact type. */
  readonly type: ArtifactType;
}

/**
 * Names and types a step output.
 * @example step({ name: 'trainer', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true }) }, train)
 */
export function ArtifactConfig(options: ArtifactConfigOptions): ArtifactConfig {
  if (options === null || typeof options !== 'object') throw new ValidationError('ArtifactConfig({ name, … }) takes an options object.');
  validateArtifactName(options.name);
  validateTags(options.tags);
  if (options.isModelArtifact && options.isDeploymentArtifact) {
    throw new ValidationError(`ArtifactConfig "${options.name}" cannot be both a model and a deployment artifact.`);
  }
  const type = options.isModelArtifact ? 'model' : options.isDeploymentArtifact ? 'deployment' : parseArtifactType(options.artifactType ?? 'data');
  if (options.version !== undefined && (!Number.isSafeInteger(options.version) || options.version < 1)) {
    throw new ValidationError(`ArtifactConfig "${options.name}": version must be a whole number from 1.`);
  }
  return Object.freeze({ ...options, kind: 'artifact-config' as const, type });
}

/** Turns an output spec (a name or an ArtifactConfig) into an ArtifactConfig. */
export function toArtifactConfig(spec: ArtifactConfig | string): ArtifactConfig {
  return typeof spec === 'string' ? ArtifactConfig({ name: spec }) : spec;
}
