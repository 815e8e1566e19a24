/** The steps of the inference pipeline: pick a batch of "new" flowers, classify them. */
import type { RandomForestClassifier } from 'ml-random-forest';
import { ArtifactConfig, step } from 'modelplane';
import { featureVector, loadIrisRows, sampleFlowers, SPECIES, type Sample } from './data.js';
// Registers the forest's materializer, so the model artifact loads as a RandomForestClassifier.
import './forest.js';
import { stepLog } from './step-log.js';

/** One classified flower. Arrays of these are stored as an Arrow table. */
export interface Prediction {
  /** Row of the iris data set the flower came from (lets the summary check the answer). */
  row: number;
  species: string;
  /** Share of the trees that voted for `species`. */
  confidence: number;
}

/** Draws `size` flowers (seeded) and hides their species: the batch to classify. */
export const loadBatch = step({ name: 'load_batch', output: 'inference_batch' }, async (size: number, seed: number): Promise<Sample[]> => {
  return sampleFlowers(loadIrisRows(), size, seed);
});

/** Classifies the batch with the forest it is given (in the inference pipeline: production's trained_model). */
export const predict = step(
  { name: 'predict', output: ArtifactConfig({ name: 'predictions' }) },
  async (forest: RandomForestClassifier, batch: Sample[]): Promise<Prediction[]> => {
    const X = batch.map(featureVector);
    const labels = forest.predict(X);
    const votes = SPECIES.map((_, label) => forest.predictProbability(X, label));
    stepLog(`classified ${batch.length} flowers`);
    return batch.map((sample, i) => {
      const label = labels[i]!;
      return { row: sample.row, species: SPECIES[label] ?? `class ${label}`, confidence: Math.round(votes[label]![i]! * 1000) / 1000 };
    });
  },
);
