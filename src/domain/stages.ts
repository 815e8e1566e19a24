import { ValidationError } from './errors.js';

/**
 * The stages a model version moves through. `latest` is virtual: it can be read (the highest
 * version number), never set.
 * @example await model.setStage(ModelStages.PRODUCTION, { force: true })
 */
export const ModelStages = {
  NONE: 'none',
  STAGING: 'staging',
  PRODUCTION: 'production',
  ARCHIVED: 'archived',
  LATEST: 'latest',
} as const;

/** One of the values of {@link ModelStages}. */
export type ModelStages = (typeof ModelStages)[keyof typeof ModelStages];

/** A stage a version can actually hold (every stage but the virtual `latest`). */
export type Stage = Exclude<ModelStages, 'latest'>;

/** Stages held by at most one version of a model at a time. */
export const EXCLUSIVE_STAGES: readonly Stage[] = ['staging', 'production'];

const settable: readonly string[] = ['none', 'staging', 'production', 'archived'];
const readable: readonly string[] = [...settable, 'latest'];

/** True for the names of stages (including `latest`), which versions may therefore not be named. */
export function isStageName(value: string): boolean {
  return readable.includes(value.toLowerCase());
}

/** Validates a stage to set; `latest` and unknown names get a `ValidationError` that lists the valid ones. */
export function parseSettableStage(value: unknown): Stage {
  if (value === 'latest') {
    throw new ValidationError('The stage "latest" is virtual (it always means the highest version number) and cannot be set; use staging, production, archived or none.');
  }
  if (typeof value === 'string' && settable.includes(value)) return value as Stage;
  throw new ValidationError(`Unknown stage ${JSON.stringify(value)}: use one of ${settable.join(', ')}.`);
}

/** Validates a stage to read by (any settable stage or `latest`). */
export function parseReadableStage(value: unknown): ModelStages {
  if (typeof value === 'string' && readable.includes(value)) return value as ModelStages;
  throw new ValidationError(`Unknown stage ${JSON.stringify(value)}: use one of ${readable.join(', ')}.`);
}

/** True when at most one version per model may hold `stage`. */
export function isExclusiveStage(stage: string): boolean {
  return (EXCLUSIVE_STAGES as readonly string[]).includes(stage);
}
