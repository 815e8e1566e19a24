/**
 * The readable report at the end of main.ts: the model's versions, its stage history, a few
 * predictions checked against the known species, where the data lives and what to try next.
 * Plain text (no colours) when stdout is not a terminal or NO_COLOR is set.
 */
import Table from 'cli-table3';
import type { Client, ModelVersion, StageTransition } from 'modelplane';
import { speciesOfRow, type Sample } from './data.js';
import type { Prediction } from './inference-steps.js';
import { accuracyOf } from './metrics.js';
import { MODEL_NAME } from './model-card.js';

const plain = !process.stdout.isTTY || Boolean(process.env.NO_COLOR);

/** A table without lines between rows; no colours when plain. */
function table(head: string[]): Table.Table {
  return new Table({
    head,
    style: plain ? { head: [], border: [] } : {},
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

function heading(text: string): void {
  console.log(`\n${text}`);
}

/** The hyperparameters a version was trained with, as logged by the training pipeline. */
function hyperparametersOf(version: ModelVersion): { trees?: number; maxDepth?: number | null } {
  const value: unknown = version.runMetadata['hyperparameters']?.value;
  return value !== null && typeof value === 'object' ? (value as { trees?: number; maxDepth?: number | null }) : {};
}

const cm = (x: number) => x.toFixed(1);
const time = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);

/** The newest versions of the model, one row each. */
export async function printVersions(client: Client, newest = 10): Promise<void> {
  const page = await client.listModelVersions({ model: MODEL_NAME, sortBy: '-number', size: newest });
  heading(`Versions of "${MODEL_NAME}" (${page.total} in all${page.total > page.items.length ? `, newest ${page.items.length} shown` : ''})`);
  const t = table(['version', 'name', 'stage', 'accuracy', 'trees', 'max depth', 'tags', 'created (UTC)']);
  for (const v of page.items) {
    const hp = hyperparametersOf(v);
    const accuracy = accuracyOf(v);
    t.push([v.number, v.name, v.stage, accuracy === undefined ? '—' : accuracy.toFixed(3), hp.trees ?? '—', hp.maxDepth === undefined ? '—' : (hp.maxDepth ?? 'none'), v.tags.join(', '), time(v.createdAt)]);
  }
  console.log(t.toString());
}

/** The latest stage transitions: who moved which version from where to where, and why. */
export async function printStageHistory(client: Client, latest = 8): Promise<void> {
  const history: StageTransition[] = await client.getStageHistory(MODEL_NAME);
  const shown = history.slice(-latest);
  heading(`Stage history (${history.length} transition${history.length === 1 ? '' : 's'}${history.length > shown.length ? `, latest ${shown.length} shown` : ''})`);
  const t = table(['at (UTC)', 'version', 'from → to', 'displaced', 'by', 'reason']);
  for (const h of shown) {
    t.push([time(h.createdAt), h.versionNumber, `${h.fromStage} → ${h.toStage}`, h.displacedVersionNumber === null ? '' : `v${h.displacedVersionNumber} → archived`, h.actor, h.reason ?? '']);
  }
  console.log(t.toString());
}

/** Predictions next to the species the flowers really are (the inference pipeline never saw them). */
export function printPredictions(predictions: readonly Prediction[], batch: readonly Sample[], productionVersion: number, shown = 6): void {
  const correct = predictions.filter((p) => p.species === speciesOfRow(p.row)).length;
  heading(`Predictions of production version ${productionVersion}: ${correct} of ${predictions.length} flowers right (first ${Math.min(shown, predictions.length)} shown)`);
  const t = table(['flower', 'sepal l × w (cm)', 'petal l × w (cm)', 'predicted', 'votes', 'actually', '']);
  const samples = new Map(batch.map((s) => [s.row, s]));
  for (const p of predictions.slice(0, shown)) {
    const s = samples.get(p.row);
    const actual = speciesOfRow(p.row);
    t.push([`#${p.row}`, s ? `${cm(s.sepalLength)} × ${cm(s.sepalWidth)}` : '', s ? `${cm(s.petalLength)} × ${cm(s.petalWidth)}` : '', p.species, `${Math.round(p.confidence * 100)}%`, actual, p.species === actual ? '✓' : '✗ wrong']);
  }
  console.log(t.toString());
}

/** Where the registry keeps its records and bytes, and what to do next. */
export async function printWhereAndNext(client: Client): Promise<void> {
  const where = await client.location();
  heading('Where the data lives');
  console.log(`  records (models, versions, runs, metadata): ${where.database}`);
  console.log(`  artifact bytes (datasets, forests, predictions): ${where.artifacts}`);
  heading('Try next');
  console.log('  • Run it again: the training steps come from the cache (same code, data and parameters), each');
  console.log('    run still adds two versions with their metrics, and production moves only if one beats it.');
  console.log('  • MODELPLANE_HOME=/tmp/iris npm start   keeps this demo in a folder of its own.');
  console.log('  • Change the trees or seed in examples/iris/main.ts and see which version wins.');
  console.log('  • npm run quickstart                   the registry API without pipelines.');
}
