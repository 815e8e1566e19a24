import type { MetadataTarget } from '../backend/backend.js';
import { ValidationError } from '../domain/errors.js';
import { encodeMetadata } from '../domain/metadata-value.js';
import type { Client } from './client.js';
import { activeStep, type ActiveStep } from './pipeline/contexts.js';

/** Options of `logMetadata`: the metadata and where it goes. */
export interface LogMetadataOptions {
  /** Key → JSON-serializable value (nested objects allowed, 1 MB per value). */
  metadata: Record<string, unknown>;
  /** Attach to the model version of the current step (inside a step only). */
  inferModel?: boolean;
  /** Attach to the current step's output artifact (inside a step only; with several outputs, name it in `artifactName`). */
  inferArtifact?: boolean;
  modelName?: string;
  /** With `modelName`: number, name, stage or `latest`. */
  modelVersion?: string | number;
  modelVersionId?: string;
  artifactName?: string;
  /** With `artifactName`; absent → the highest version. */
  artifactVersion?: number;
  artifactVersionId?: string;
  /** A pipeline run. */
  runId?: string;
}

/**
 * Decides the one target of a `logMetadata` call from explicit options. Outside a step nothing can be
 * inferred, so a call without an explicit target is a `ValidationError` that says what to pass.
 */
export async function resolveMetadataTarget(client: Client, options: LogMetadataOptions): Promise<MetadataTarget> {
  const backend = await client.backend();
  const targets: Array<() => Promise<MetadataTarget>> = [];
  if (options.modelVersionId !== undefined) {
    // The backend checks that the target exists when it writes.
    targets.push(async () => ({ type: 'model_version', id: options.modelVersionId! }));
  } else if (options.modelName !== undefined) {
    if (options.modelVersion === undefined) {
      throw new ValidationError(`logMetadata with modelName "${options.modelName}" also needs modelVersion (a number, name, stage or "latest").`);
    }
    targets.push(async () => ({ type: 'model_version', id: await backend.getModelVersionId(options.modelName!, options.modelVersion) }));
  } else if (options.modelVersion !== undefined) {
    throw new ValidationError('logMetadata with modelVersion also needs modelName.');
  }
  if (options.artifactVersionId !== undefined) {
    targets.push(async () => ({ type: 'artifact_version', id: (await backend.getArtifactVersion(options.artifactVersionId!)).id }));
  } else if (options.artifactName !== undefined) {
    targets.push(async () => ({ type: 'artifact_version', id: (await backend.getArtifactVersion(options.artifactName!, options.artifactVersion)).id }));
  }
  if (options.runId !== undefined) {
    targets.push(async () => ({ type: 'pipeline_run', id: (await backend.getPipelineRun(options.runId!)).id }));
  }
  if (targets.length > 1) {
    throw new ValidationError('logMetadata got several targets; pass exactly one of: a model version, an artifact version, or a run.');
  }
  if (targets.length === 0) {
    const step = activeStep();
    if (step) return inferInStep(step, options);
    const inferred = options.inferModel ? 'inferModel' : options.inferArtifact ? 'inferArtifact' : undefined;
    throw new ValidationError(
      inferred
        ? `logMetadata({ ${inferred}: true }) only works inside a running step; outside one, name the target: { modelName, modelVersion }, { modelVersionId }, { artifactName, artifactVersion }, { artifactVersionId } or { runId }.`
        : 'logMetadata needs a target outside a step: pass { modelName, modelVersion }, { modelVersionId }, { artifactName, artifactVersion }, { artifactVersionId } or { runId }.',
    );
  }
  return targets[0]!();
}

/** Inside a step: the step's model version (`inferModel`), or else the step run itself. */
async function inferInStep(step: ActiveStep, options: LogMetadataOptions): Promise<MetadataTarget> {
  if (options.inferModel) {
    if (!step.model) {
      throw new ValidationError(`logMetadata({ inferModel: true }) in step "${step.stepName}": neither the step nor its pipeline has a model. Configure one (step({ model }) or pipeline({ model })) or name the target.`);
    }
    return { type: 'model_version', id: await step.model.getId() };
  }
  return { type: 'step_run', id: step.stepRun.id };
}

/** Logs metadata through `client` to the target the options name (or, inside a step, infers it). */
export async function logMetadataWith(client: Client, options: LogMetadataOptions): Promise<void> {
  if (options === null || typeof options !== 'object') throw new ValidationError('logMetadata takes an options object: { metadata, …target }.');
  encodeMetadata(options.metadata);
  const step = activeStep();
  if (step && options.inferArtifact) {
    // The step's outputs do not exist yet: keep the metadata until they are saved.
    const name = options.artifactName;
    if (name !== undefined && !step.outputArtifactNames.includes(name)) {
      throw new ValidationError(`logMetadata({ inferArtifact: true, artifactName: "${name}" }): step "${step.stepName}" has no output artifact of that name; its outputs are ${step.outputArtifactNames.join(', ')}.`);
    }
    if (name === undefined && step.outputArtifactNames.length !== 1) {
      throw new ValidationError(`logMetadata({ inferArtifact: true }) in step "${step.stepName}", which has several outputs: add artifactName (one of ${step.outputArtifactNames.join(', ')}).`);
    }
    step.pendingArtifactMetadata.set(name, { ...step.pendingArtifactMetadata.get(name), ...options.metadata });
    return;
  }
  if (step && !namesTarget(options)) {
    // An inferred target lives in the store the step's run is recorded in, whatever client was passed.
    const target = await inferInStep(step, options);
    await (await step.client.backend()).logMetadata(target, options.metadata);
    if (options.inferModel) Object.assign(step.modelMetadata, options.metadata);
    return;
  }
  const target = await resolveMetadataTarget(client, options);
  await (await client.backend()).logMetadata(target, options.metadata);
}

/** True when the options name a target explicitly (then nothing is inferred). */
function namesTarget(options: LogMetadataOptions): boolean {
  const keys = ['modelVersionId', 'modelName', 'modelVersion', 'artifactVersionId', 'artifactName', 'runId'] as const;
  return keys.some((k) => options[k] !== undefined);
}
