/**
 * The training pipeline: split the data, train a forest, evaluate it, attach the metrics. Every run
 * creates a new version of the model `iris_classifier` (1, 2, 3 …) and links everything the steps
 * produce — data splits, checkpoints, the trained model, the metrics — to that version.
 */
import { Model, pipeline } from 'modelplane';
import { MODEL_CARD, MODEL_NAME, VERSION_TAGS } from './model-card.js';
import { evaluate, loadIris, trainer } from './training-steps.js';

/** Parameters of one training run (recorded with the run). */
export interface TrainingParameters {
  /** Trees in the forest. */
  trees: number;
  /** Depth limit per tree; absent → unlimited. */
  maxDepth?: number;
  /** Seeds both the train/test split and the forest. */
  seed: number;
  /** Share of each species held out for testing (0–1). */
  testSize: number;
}

export const trainingPipeline = pipeline(
  {
    name: 'iris_training',
    // No `version`: each run gets a new version. The card fields create the model on first use.
    model: new Model({ name: MODEL_NAME, ...MODEL_CARD, tags: VERSION_TAGS }),
  },
  (p: TrainingParameters) => {
    const hyperparameters = { trees: p.trees, maxDepth: p.maxDepth ?? null, seed: p.seed };
    const { train, test } = loadIris(p.testSize, p.seed);
    const forest = trainer(train, hyperparameters);
    evaluate(forest, test);
  },
);
