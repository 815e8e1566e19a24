/**
 * Quickstart: the registry side of modelplane on the embedded default store (~/.modelplane, or
 * MODELPLANE_HOME). Registers a model, creates three versions with metrics and weights, promotes the
 * best one to production, and reads it back the way an inference job would — by stage, not by id.
 *
 * Run: npm start
 */
import Table from 'cli-table3';
import { Client, EntityExistsError, Model, ModelStages, saveArtifact } from 'modelplane';

const MODEL = 'iris_classifier';

const client = new Client();
try {
  // 1. Register the model (idempotent across runs).
  try {
    await client.createModel({
      name: MODEL,
      license: 'Apache 2.0',
      description: 'Classification model for the Iris dataset',
      tags: ['classification', 'iris'],
    });
  } catch (error) {
    if (!(error instanceof EntityExistsError)) throw error;
  }

  // 2. Three candidate versions, each with its hyper-parameters, metrics and weights.
  const candidates = [
    { trees: 10, accuracy: 0.913 },
    { trees: 50, accuracy: 0.967 },
    { trees: 25, accuracy: 0.947 },
  ];
  const created = [];
  for (const c of candidates) {
    const model = new Model({ name: MODEL, tags: [`trees-${c.trees}`], client });
    const version = await model.getVersion();
    await model.logMetadata({ params: { trees: c.trees }, evaluation_metrics: { accuracy: c.accuracy } });
    await saveArtifact('trained_model', { kind: 'random-forest', trees: c.trees, weights: Array.from({ length: c.trees }, (_, i) => i / c.trees) }, { isModelArtifact: true, model });
    created.push({ version, accuracy: c.accuracy });
  }

  // 3. Promote the most accurate new version to production (archiving the previous holder).
  const best = created.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  await new Model({ name: MODEL, version: best.version.number, client }).setStage(ModelStages.PRODUCTION, {
    force: true,
    reason: `best accuracy of this batch (${best.accuracy})`,
  });

  // 4. An inference job asks for "the production version" and gets its weights, no ids involved.
  const production = new Model({ name: MODEL, version: ModelStages.PRODUCTION, client });
  const weights = await production.getModelArtifact<{ trees: number }>('trained_model').load();

  // 5. Show what the registry now holds.
  const versions = await client.listModelVersions({ model: MODEL, sortBy: '-number', size: 10 });
  // Colours only on a terminal: piped output stays plain text.
  const style = process.stdout.isTTY && !process.env.NO_COLOR ? {} : { head: [], border: [] };
  const table = new Table({ head: ['version', 'name', 'stage', 'accuracy', 'trees', 'tags'], style });
  for (const v of versions.items) {
    const metrics = v.runMetadata['evaluation_metrics']?.value as { accuracy?: number } | undefined;
    const params = v.runMetadata['params']?.value as { trees?: number } | undefined;
    table.push([v.number, v.name, v.stage, metrics?.accuracy ?? '', params?.trees ?? '', v.tags.join(', ')]);
  }
  console.log(`\nModel "${MODEL}" — ${versions.total} versions (newest ${versions.items.length} shown)`);
  console.log(table.toString());

  const history = await client.getStageHistory(MODEL);
  const last = history.at(-1);
  if (last) {
    console.log(
      `\nLast stage change: version ${last.versionNumber} ${last.fromStage} → ${last.toStage} by ${last.actor}` +
        (last.displacedVersionNumber ? ` (version ${last.displacedVersionNumber} moved to archived)` : '') +
        (last.reason ? ` — "${last.reason}"` : ''),
    );
  }
  const prod = await production.getVersion();
  console.log(`Production is version ${prod.number}; its trained_model has ${weights.trees} trees.`);
  const where = await client.location();
  console.log(`\nData lives in ${where.database} and ${where.artifacts}.`);
  console.log('Try next: run it again (versions accumulate, production moves only with force), or set MODELPLANE_HOME to use another folder.');
} finally {
  await client.close();
}
