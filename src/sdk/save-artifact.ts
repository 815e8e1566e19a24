import type { ArtifactVersion } from '../domain/entities.js';
import type { SaveArtifactOptions } from './artifact-io.js';
import { Client } from './client.js';
import type { Model } from './model.js';
import { saveArtifactValue } from './artifact-io.js';
import { activeStep } from './pipeline/contexts.js';

/** Options of the `saveArtifact` function: those of the client method, plus a model to link to. */
export interface SaveArtifactFunctionOptions extends SaveArtifactOptions {
  /** Link the new artifact version to this model's version. */
  model?: Model;
  /** Client to use; default `Client.active()` (or the model's client). */
  client?: Client;
}

/**
 * Stores `value` as the next version of artifact `name` and returns the artifact version. Inside a
 * step it is also linked to the step's model version and recorded as produced by the step run.
 * @example await saveArtifact('model_checkpoint_3', clf, { isModelArtifact: true, model })
 */
export async function saveArtifact(name: string, value: unknown, options: SaveArtifactFunctionOptions = {}): Promise<ArtifactVersion> {
  const { model, client, ...rest } = options;
  const step = activeStep();
  if (step) {
    // Inside a step: linked to the step's model version and recorded as produced by the step run.
    const c = client ?? model?.client ?? step.client;
    const target = model ?? step.model;
    const modelVersionId = target === undefined ? rest.modelVersionId : await target.getId();
    const av = await saveArtifactValue(await c.backend(), name, value, {
      ...rest,
      ...(modelVersionId === undefined ? {} : { modelVersionId }),
      producerRunId: step.pipelineRun.id,
      producerStepRunId: step.stepRun.id,
    });
    step.savedArtifacts.set(name, av.id);
    return av;
  }
  const c = client ?? model?.client ?? Client.active();
  const modelVersionId = model === undefined ? rest.modelVersionId : await model.getId();
  return c.saveArtifact(name, value, { ...rest, ...(modelVersionId === undefined ? {} : { modelVersionId }) });
}
