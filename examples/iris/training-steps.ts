/**
 * The steps of the training pipeline. Each step's inputs and outputs are stored as artifact versions
 * and linked to the run's model version; a step whose code and inputs are unchanged is not run again
 * (its earlier outputs are reused, and the metadata it logged with `inferModel` is copied onto the new
 * run's model version, so every version has its metrics and hyperparameters). The cache key covers a step's own source text and inputs only, not
 * the helpers it calls (data.ts, forest.ts, metrics.ts): after editing those, run once with the
 * pipeline's `enableCache: false`.
 */
import type { RandomForestClassifier } from 'ml-random-forest';
import { ArtifactConfig, logMetadata, saveArtifact, step } from 'modelplane';
import { featureVector, loadIrisRows, SPECIES, stratifiedSplit, type IrisRow } from './data.js';
import { trainForest, type Hyperparameters } from './forest.js';
import { classificationMetrics, type EvaluationMetrics } from './metrics.js';
import { stepLog } from './step-log.js';

/** How many intermediate forests the trainer keeps (as model_checkpoint_0, _1, …). */
const CHECKPOINTS = 3;

/** Loads the iris data set and splits it, stratified and seeded, into two data artifacts (Arrow tables). */
export const loadIris = step(
  { name: 'load_iris', outputs: { train: 'iris_train', test: 'iris_test' } },
  async (testSize: number, seed: number): Promise<{ train: IrisRow[]; test: IrisRow[] }> => {
    const { train, test } = stratifiedSplit(loadIrisRows(), testSize, seed);
    stepLog(`split 150 flowers into ${train.length} for training and ${test.length} for testing (seed ${seed})`);
    return { train, test };
  },
);

/**
 * Trains the forest. Its output is the model artifact `trained_model`; on the way it saves smaller
 * forests (a quarter, half, three quarters of the trees) as model checkpoints, as the spec's trainer
 * does with its epochs. Inside a step, `saveArtifact` links each checkpoint to the run's model version.
 */
export const trainer = step(
  { name: 'trainer', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true }) },
  async (train: IrisRow[], hp: Hyperparameters): Promise<RandomForestClassifier> => {
    for (let i = 0; i < CHECKPOINTS; i++) {
      const trees = Math.max(1, Math.round((hp.trees * (i + 1)) / (CHECKPOINTS + 1)));
      await saveArtifact(`model_checkpoint_${i}`, trainForest(train, { ...hp, trees }), { isModelArtifact: true });
    }
    const forest = trainForest(train, hp);
    await logMetadata({ metadata: { hyperparameters: hp }, inferModel: true });
    stepLog(`trained ${hp.trees} trees (maxDepth ${hp.maxDepth ?? 'unlimited'}) on ${train.length} flowers`);
    return forest;
  },
);

/**
 * Scores the forest on the test split: accuracy and per-species precision and recall. The metrics go
 * to the run's model version (`inferModel`), where the promotion script reads
 * `runMetadata['evaluation_metrics'].value.accuracy`, and are also the step's output (a `statistics`
 * artifact).
 */
export const evaluate = step(
  { name: 'evaluate', output: ArtifactConfig({ name: 'evaluation_metrics', artifactType: 'statistics' }) },
  async (forest: RandomForestClassifier, test: IrisRow[]): Promise<EvaluationMetrics> => {
    const predicted = forest.predict(test.map(featureVector)).map((i) => SPECIES[i] ?? `class ${i}`);
    const metrics = classificationMetrics(test.map((r) => r.species), predicted, SPECIES);
    await logMetadata({ metadata: { evaluation_metrics: metrics }, inferModel: true });
    stepLog(`accuracy ${metrics.accuracy} on ${metrics.testRows} test flowers`);
    return metrics;
  },
);
