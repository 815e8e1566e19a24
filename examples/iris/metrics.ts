/**
 * Classification metrics, and how to read them back from a model version. The shape is the one the
 * spec logs: `evaluation_metrics: { accuracy, precision: { <species>: … }, recall: { <species>: … } }`.
 */
import type { ModelVersion } from 'modelplane';

/** What the evaluation step computes and every trained version carries as `evaluation_metrics`. */
export interface EvaluationMetrics {
  /** Share of test flowers classified correctly. */
  accuracy: number;
  /** Per species: of the flowers predicted as it, the share that are it. */
  precision: Record<string, number>;
  /** Per species: of the flowers that are it, the share predicted as it. */
  recall: Record<string, number>;
  /** How many test flowers the numbers are based on. */
  testRows: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Accuracy and per-class precision/recall of `predicted` against `expected` (labels as strings). */
export function classificationMetrics(expected: readonly string[], predicted: readonly string[], classes: readonly string[]): EvaluationMetrics {
  if (expected.length !== predicted.length) throw new RangeError(`${expected.length} labels but ${predicted.length} predictions.`);
  if (expected.length === 0) throw new RangeError('No test rows to evaluate on.');
  const correct = expected.filter((label, i) => label === predicted[i]).length;
  const precision: Record<string, number> = {};
  const recall: Record<string, number> = {};
  for (const c of classes) {
    const truePositives = expected.filter((label, i) => label === c && predicted[i] === c).length;
    const predictedAsC = predicted.filter((p) => p === c).length;
    const actuallyC = expected.filter((label) => label === c).length;
    // A class never predicted has no precision to speak of; 0 is the usual convention (as in scikit-learn).
    precision[c] = predictedAsC === 0 ? 0 : round(truePositives / predictedAsC);
    recall[c] = actuallyC === 0 ? 0 : round(truePositives / actuallyC);
  }
  return { accuracy: round(correct / expected.length), precision, recall, testRows: expected.length };
}

/** The accuracy logged on a model version, or undefined when it has none (e.g. created by hand). */
export function accuracyOf(version: ModelVersion): number | undefined {
  const value: unknown = version.runMetadata['evaluation_metrics']?.value;
  if (value === null || typeof value !== 'object') return undefined;
  const accuracy: unknown = (value as { accuracy?: unknown }).accuracy;
  return typeof accuracy === 'number' ? accuracy : undefined;
}
