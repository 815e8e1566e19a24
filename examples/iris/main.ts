/**
 * The iris example, end to end: train twice, promote a version only when it beats production, classify
 * new flowers with whatever is in production, and report. Runs on the embedded default store
 * (~/.modelplane, or MODELPLANE_HOME) and can be run again and again: each run adds two versions,
 * unchanged training steps come from the cache, and production moves only for a better accuracy.
 *
 * Run: npm start   (or: npx tsx examples/iris/main.ts)
 */
import { Client, type ModelVersion } from 'modelplane';
import type { Sample } from './data.js';
import { inferencePipeline, type InferenceParameters } from './inference-pipeline.js';
import type { Prediction } from './inference-steps.js';
import { accuracyOf } from './metrics.js';
import { MODEL_NAME } from './model-card.js';
import { promoteIfBetter } from './promote.js';
import { describeSteps, ensureCompleted, runMillis } from './run-report.js';
import { printPredictions, printStageHistory, printVersions, printWhereAndNext } from './summary.js';
import { trainingPipeline, type TrainingParameters } from './training-pipeline.js';

/** A deliberately weak baseline (three one-split trees cannot tell three species apart), then a real forest. */
const TRAININGS: TrainingParameters[] = [
  { trees: 3, maxDepth: 1, seed: 7, testSize: 0.3 },
  { trees: 50, seed: 7, testSize: 0.3 },
];
const INFERENCE: InferenceParameters = { samples: 10, seed: 2024 };

const describeParams = (p: TrainingParameters) => `trees ${p.trees}, max depth ${p.maxDepth ?? 'none'}`;
const fmt = (accuracy: number | undefined) => (accuracy === undefined ? 'n/a' : accuracy.toFixed(3));

// One client for the whole program; pipelines and Models that name no client use the active one.
const client = new Client();
Client.setActive(client);
try {
  const where = await client.location();
  console.log(`modelplane iris example — store: ${where.database}`);

  // 1. Train twice; after each training, promote the new version if it beats production.
  for (const params of TRAININGS) {
    console.log(`\n▸ Training with ${describeParams(params)}`);
    const run = ensureCompleted(await trainingPipeline(params));
    const version: ModelVersion = await client.getModelVersion(MODEL_NAME, run.modelVersionId!);
    console.log(`  → version ${version.number}, accuracy ${fmt(accuracyOf(version))}, in ${runMillis(run)} ms (${describeSteps(run)})`);
    const decision = await promoteIfBetter(client, version.number);
    console.log(decision.promoted ? `  ✓ promoted to production: ${decision.reason}` : `  · not promoted: ${decision.reason}`);
  }

  // 2. Classify new flowers with the production version (the pipeline asks for the stage, not an id).
  console.log(`\n▸ Classifying ${INFERENCE.samples} new flowers with the production version`);
  const inference = ensureCompleted(await inferencePipeline(INFERENCE));
  const production = await client.getModelVersion(MODEL_NAME, inference.modelVersionId!);
  console.log(`  → used production version ${production.number} (accuracy ${fmt(accuracyOf(production))}), in ${runMillis(inference)} ms (${describeSteps(inference)})`);
  const predictions = (await client.loadArtifact(inference.step('predict').outputs['output']!)) as Prediction[];
  const batch = (await client.loadArtifact(inference.step('load_batch').outputs['output']!)) as Sample[];

  // 3. Report.
  await printVersions(client);
  await printStageHistory(client);
  printPredictions(predictions, batch, production.number);
  await printWhereAndNext(client);
} catch (error) {
  console.error(`\nThe iris example failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await client.close();
}
