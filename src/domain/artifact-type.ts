import { ValidationError } from './errors.js';

/** The kinds of artifact version; a model version groups its artifacts by these. */
export const ArtifactType = {
  DATA: 'data',
  MODEL: 'model',
  DEPLOYMENT: 'deployment',
  STATISTICS: 'statistics',
  SCHEMA: 'schema',
  ANALYSIS: 'analysis',
} as const;

/** One of the values of {@link ArtifactType}. */
export type ArtifactType = (typeof ArtifactType)[keyof typeof ArtifactType];

const all: readonly string[] = Object.values(ArtifactType);

/** Checks that `value` is a known artifact type, naming the allowed ones when it is not. */
export function parseArtifactType(value: unknown): ArtifactType {
  if (typeof value === 'string' && all.includes(value)) return value as ArtifactType;
  throw new ValidationError(`Unknown artifact type ${JSON.stringify(value)}: use one of ${all.join(', ')}.`);
}

/** The three groups a model version shows its artifacts in. */
export type ArtifactGroup = 'model' | 'data' | 'deployment';

/** Which group of a model version an artifact type belongs to (statistics, schema and analysis count as data). */
export function artifactGroup(type: ArtifactType): ArtifactGroup {
  if (type === 'model') return 'model';
  if (type === 'deployment') return 'deployment';
  return 'data';
}
