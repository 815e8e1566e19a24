/**
 * The technical model: a seeded random forest from ml.js. Importing this file registers the forest
 * with modelplane, so a trained forest is stored through its own toJSON() and comes back from the
 * store as a real RandomForestClassifier (with predict()), not as a plain object.
 */
import { RandomForestClassifier } from 'ml-random-forest';
import { classMaterializer, registerMaterializer } from 'modelplane';
import { featureVector, speciesIndex, type IrisRow } from './data.js';

registerMaterializer(classMaterializer(RandomForestClassifier));

/** The knobs of one training run. */
export interface Hyperparameters {
  /** Number of trees in the forest. */
  trees: number;
  /** Depth limit of each tree; null → unlimited. */
  maxDepth: number | null;
  /** Seeds the forest's feature and sample bagging (a 32-bit integer). */
  seed: number;
}

/** Trains a forest of `trees` trees on `rows`; deterministic for given rows and hyperparameters. */
export function trainForest(rows: readonly IrisRow[], hp: Hyperparameters): RandomForestClassifier {
  const forest = new RandomForestClassifier({
    nEstimators: hp.trees,
    seed: hp.seed,
    // Two of the four measurements per tree, sampled without replacement; bag the training rows.
    maxFeatures: 2,
    replacement: false,
    useSampleBagging: true,
    // Out-of-bag scores need every row left out by some tree, which small forests cannot promise.
    noOOB: true,
    treeOptions: hp.maxDepth === null ? {} : { maxDepth: hp.maxDepth },
  });
  forest.train(rows.map(featureVector), rows.map((r) => speciesIndex(r.species)));
  return forest;
}
