/**
 * Issue 3, point 7: lazy artifact refs. A ref from `getPipelineContext().model.getModelArtifact(...)` is
 * resolved when the consuming step runs, so an inference pipeline pinned to `production` gets the trained
 * model without knowing any id; the consuming run is linked to the model version; a missing artifact
 * fails the step with a message naming model, version and artifact.
 */
import { describe, expect, it } from 'vitest';
import { ArtifactConfig, ArtifactRef, Model, ModelStages, getPipelineContext, pipeline, step } from '../../src/index.js';
import { useFreshStore } from './helpers.js';

const store = useFreshStore();

interface Linear {
  w: number;
}

const train = step({ name: 'train', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true }) }, async (w: number): Promise<Linear> => ({ w }));
const predict = step({ name: 'predict', output: 'predictions' }, async (model: Linear, xs: number[]) => xs.map((x) => x * model.w));

const training = () =>
  pipeline({ name: 'training', model: new Model({ name: 'iris_classifier' }) }, (p: { w: number }) => {
    train(p.w);
  });

const inference = () =>
  pipeline({ name: 'inference', model: new Model({ name: 'iris_classifier', version: ModelStages.PRODUCTION }) }, (p: { xs: number[] }) => {
    const model = getPipelineContext().model!;
    predict(model.getModelArtifact<Linear>('trained_model'), p.xs);
  });

describe('lazy artifact refs', () => {
  it('the production inference pipeline gets the trained model when its step runs, and follows promotions between runs', async () => {
    const client = store.client;
    const t1 = await training()({ w: 2 });
    const t2 = await training()({ w: 5 });
    await client.updateModelVersion('iris_classifier', 1, { stage: ModelStages.PRODUCTION });
    const v1 = await client.getModelVersion('iris_classifier', 1);
    const v2 = await client.getModelVersion('iris_classifier', 2);
    expect(t1.modelVersionId).toBe(v1.id);
    expect(t2.modelVersionId).toBe(v2.id);

    const run = await inference()({ xs: [1, 2, 3] });
    expect(run.status).toBe('completed');
    expect(run.modelVersionId).toBe(v1.id);
    const trainedV1 = (await client.listArtifactVersions({ modelVersionId: v1.id, name: 'trained_model' })).items[0]!;
    expect(run.step('predict').inputs).toEqual({ model: trainedV1.id });
    expect(await client.loadArtifact(run.step('predict').outputs.output!)).toEqual([2, 4, 6]);
    // The consuming run is linked to the model version it read from.
    expect((await client.listPipelineRuns({ modelVersionId: v1.id })).items.map((r) => r.id)).toContain(run.id);
    expect((await client.listPipelineRuns({ modelVersionId: v2.id })).items.map((r) => r.id)).not.toContain(run.id);

    // Promote version 2: the same pipeline now reads version 2's model.
    await client.updateModelVersion('iris_classifier', 2, { stage: ModelStages.PRODUCTION, force: true });
    const run2 = await inference()({ xs: [1, 2, 3] });
    expect(run2.modelVersionId).toBe(v2.id);
    expect(run2.step('predict').cacheHit).toBe(false);
    expect(await client.loadArtifact(run2.step('predict').outputs.output!)).toEqual([5, 10, 15]);
    expect((await client.listPipelineRuns({ modelVersionId: v2.id })).items.map((r) => r.id)).toContain(run2.id);
  });

  it('a ref is not resolved while composing: the artifact may be produced after the pipeline was declared', async () => {
    let seen: ArtifactRef<Linear> | undefined;
    const p = pipeline({ name: 'late', model: new Model({ name: 'late_model', version: 'v-final' }) }, () => {
      seen = getPipelineContext().model!.getModelArtifact<Linear>('trained_model');
      predict(seen, [10]);
    });
    // Version "v-final" exists only once someone trains into it.
    const trainer = pipeline({ name: 'late_training', model: new Model({ name: 'late_model', version: 'v-final' }) }, () => {
      train(7);
    });
    await trainer();
    const run = await p();
    expect(run.status).toBe('completed');
    expect(seen).toBeInstanceOf(ArtifactRef);
    expect(seen!.name).toBe('trained_model');
    expect(await store.client.loadArtifact(run.step('predict').outputs.output!)).toEqual([70]);
  });

  it('links the consuming run to the version of a ref from a model other than the pipeline\'s', async () => {
    const client = store.client;
    await training()({ w: 3 });
    await client.updateModelVersion('iris_classifier', 1, { stage: ModelStages.PRODUCTION });
    const v1 = await client.getModelVersion('iris_classifier', 1);
    // No pipeline model: the run is linked to the version only because its step consumed from it.
    const scoring = pipeline({ name: 'scoring', client }, () => {
      const production = new Model({ name: 'iris_classifier', version: ModelStages.PRODUCTION });
      predict(production.getModelArtifact<Linear>('trained_model'), [1]);
    });
    const run = await scoring();
    expect(run.status).toBe('completed');
    expect(run.modelVersionId).toBeNull();
    expect(await client.loadArtifact(run.step('predict').outputs.output!)).toEqual([3]);
    const linked = await client.listPipelineRuns({ modelVersionId: v1.id });
    expect(linked.items.map((r) => r.id)).toContain(run.id);
    // The predictions are not linked to the consumed version (the step has no model).
    expect((await client.listArtifactVersions({ modelVersionId: v1.id })).items.map((a) => a.name)).toEqual(['trained_model']);
    // The run's artifacts include what it consumed and what it produced.
    expect((await client.listArtifactVersions({ runId: run.id })).items.map((a) => a.name).sort()).toEqual(['predictions', 'trained_model']);
  });

  it('a missing artifact fails the step with a message naming model, version and artifact', async () => {
    const client = store.client;
    await training()({ w: 2 });
    await client.updateModelVersion('iris_classifier', 1, { stage: ModelStages.PRODUCTION });
    const after = step({ name: 'after_predict' }, async (p: number[]) => p.length);
    const p = pipeline({ name: 'missing_ref', model: new Model({ name: 'iris_classifier', version: ModelStages.PRODUCTION }) }, () => {
      const model = getPipelineContext().model!;
      after(predict(model.getModelArtifact<Linear>('no_such_model'), [1]));
      // A model artifact exists under that name only as type model: asking for it as data fails too.
      predict(model.getDataArtifact<Linear>('trained_model'), [1]);
    });
    const run = await p();
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Steps "predict", "predict_2" failed.');
    const failed = run.step('predict');
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('NotFoundError: Model "iris_classifier" version 1 ("1") has no model artifact "no_such_model".');
    expect(run.step('predict_2').error).toBe('NotFoundError: Model "iris_classifier" version 1 ("1") has no data artifact "trained_model".');
    expect(run.step('after_predict').status).toBe('skipped');
  });

  it('a ref to an explicit artifact version resolves to that version', async () => {
    const client = store.client;
    const named = pipeline({ name: 'accumulate', model: new Model({ name: 'acc_model', version: 'shared' }) }, (p: { w: number }) => {
      train(p.w);
    });
    await named({ w: 2 });
    await named({ w: 4 });
    const p = pipeline({ name: 'pick_version', model: new Model({ name: 'acc_model', version: 'shared' }) }, () => {
      const model = getPipelineContext().model!;
      predict(model.getModelArtifact<Linear>('trained_model', 1), [1]);
      predict(model.getModelArtifact<Linear>('trained_model'), [1]);
      predict(model.getModelArtifact<Linear>('trained_model', 9), [1]);
    });
    const run = await p();
    expect(await client.loadArtifact(run.step('predict').outputs.output!)).toEqual([2]);
    expect(await client.loadArtifact(run.step('predict_2').outputs.output!)).toEqual([4]);
    expect(run.step('predict_3').error).toMatch(/has no model artifact "trained_model" version 9/);
    // Outside a pipeline the same refs load directly.
    const model = new Model({ name: 'acc_model', version: 'shared' });
    expect(await model.getModelArtifact<Linear>('trained_model').load()).toEqual({ w: 4 });
    expect((await model.getModelArtifact('trained_model', 1).resolve()).version).toBe(1);
  });
});
