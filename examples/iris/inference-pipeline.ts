/**
 * The inference pipeline: classify a batch of flowers with whichever version is in production. It
 * names no version number and no artifact id — it asks the model for its production version's
 * `trained_model`, resolved when the run starts and pinned for the whole run. The predictions are
 * stored as the artifact `predictions` and linked to that production version.
 */
import { getPipelineContext, Model, ModelStages, pipeline } from 'modelplane';
import { MODEL_NAME } from './model-card.js';
import { loadBatch, predict } from './inference-steps.js';

/** Parameters of one inference run. */
export interface InferenceParameters {
  /** How many flowers to classify. */
  samples: number;
  /** Which flowers (seeded draw). */
  seed: number;
}

export const inferencePipeline = pipeline(
  { name: 'iris_inference', model: new Model({ name: MODEL_NAME, version: ModelStages.PRODUCTION }) },
  (p: InferenceParameters) => {
    const model = getPipelineContext().model!;
    predict(model.getModelArtifact('trained_model'), loadBatch(p.samples, p.seed));
  },
);
