/**
 * Issue 3, point 6: step outputs are stored and linked to the step's model version (also when reused
 * from cache), named and typed by ArtifactConfig, possibly several per step; saveArtifact and
 * logMetadata inside a step attach to the right model version, artifact version or step run.
 */
import { describe, expect, it } from 'vitest';
import { ArtifactConfig, Model, ValidationError, getStepContext, logMetadata, pipeline, saveArtifact, step } from '../../src/index.js';
import { ids, useFreshStore } from './helpers.js';

const store = useFreshStore();

interface Row {
  x: number;
  y: number;
}

const load = step({ name: 'load', output: 'dataset' }, async (n: number) => Array.from({ length: n }, (_, i): Row => ({ x: i, y: 3 * i })));
const train = step({ name: 'train', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true, tags: ['linear'], runMetadata: { family: 'linear' } }) }, async (data: Row[]) => {
  for (let epoch = 0; epoch < 2; epoch++) await saveArtifact(`model_checkpoint_${epoch}`, { epoch, w: epoch + 2 }, { isModelArtifact: true });
  return { w: 3, rows: data.length };
});
const evaluate = step({ name: 'evaluate' }, async (model: { w: number }, data: Row[]) => {
  const accuracy = data.filter((r) => r.y === model.w * r.x).length / data.length;
  await logMetadata({ metadata: { evaluation_metrics: { accuracy, precision: 0.5, recall: 0.25 } }, inferModel: true });
});
const deploy = step({ name: 'deploy', output: ArtifactConfig({ name: 'endpoint', isDeploymentArtifact: true }) }, async (model: { w: number }) => ({ url: `http://serve/w${model.w}` }));

const training = () =>
  pipeline({ name: 'training', model: new Model({ name: 'outputs_model' }) }, (p: { n: number }) => {
    const data = load(p.n);
    const model = train(data);
    evaluate(model, data);
    deploy(model);
  });

describe('outputs and their links', () => {
  it('stores each output, names and types it by ArtifactConfig, and links it to the step model version', async () => {
    const run = await training()({ n: 4 });
    expect(run.status).toBe('completed');
    const mv = await store.client.getModelVersion('outputs_model', run.modelVersionId!);
    const byType = async (type: 'model' | 'data' | 'deployment') =>
      (await store.client.listArtifactVersions({ modelVersionId: mv.id, type })).items.map((a) => a.name).sort();
    expect(await byType('model')).toEqual(['model_checkpoint_0', 'model_checkpoint_1', 'trained_model']);
    expect(await byType('data')).toEqual(['dataset']);
    expect(await byType('deployment')).toEqual(['endpoint']);

    const trained = await store.client.getArtifactVersion('trained_model');
    expect(trained.type).toBe('model');
    expect(trained.tags).toEqual(['linear']);
    expect(trained.runMetadata['family']?.value).toBe('linear');
    expect(await store.client.loadArtifact(trained)).toEqual({ w: 3, rows: 4 });
    expect((await store.client.getArtifactVersion('endpoint')).type).toBe('deployment');
    expect((await store.client.getArtifactVersion('dataset')).type).toBe('data');

    // Through the Model API the same split holds.
    const model = new Model({ name: 'outputs_model', version: mv.number });
    expect(await model.getModelArtifact('trained_model').load()).toEqual({ w: 3, rows: 4 });
    expect(await model.getDeploymentArtifact('endpoint').load()).toEqual({ url: 'http://serve/w3' });
    expect(await model.getDataArtifact('dataset').load()).toHaveLength(4);
    await expect(model.getDataArtifact('trained_model').resolve()).rejects.toThrow(/has no data artifact "trained_model"/);
  });

  it('names unnamed outputs <pipeline>::<step>::output and stores an explicit artifact version', async () => {
    const plain = step({ name: 'plain' }, async () => [1, 2, 3]);
    const explicit = step({ name: 'explicit', output: ArtifactConfig({ name: 'pinned_artifact', version: 7, artifactType: 'statistics' }) }, async (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b) / xs.length }));
    const nothing = step({ name: 'nothing' }, async (_xs: number[]) => undefined);
    const p = pipeline({ name: 'naming', model: new Model({ name: 'naming_model' }) }, () => {
      const xs = plain();
      explicit(xs);
      nothing(xs);
    });
    const run = await p();
    expect(run.status).toBe('completed');
    const av = await store.client.getArtifactVersion('naming::plain::output');
    expect(run.step('plain').outputs).toEqual({ output: av.id });
    const pinned = await store.client.getArtifactVersion('pinned_artifact');
    expect(pinned.version).toBe(7);
    expect(pinned.type).toBe('statistics');
    expect(await store.client.loadArtifact(pinned)).toEqual({ mean: 2 });
    // A step returning undefined to an unnamed output stores nothing.
    expect(run.step('nothing').outputs).toEqual({});
    // Statistics count as data artifacts of the model version.
    expect((await new Model({ name: 'naming_model', version: 1 }).getDataArtifact('pinned_artifact').resolve()).id).toBe(pinned.id);
  });

  it('stores every output of a multi-output step under its own name, linked, and wires each downstream', async () => {
    const split = step(
      {
        name: 'split',
        outputs: { train: 'train_set', test: ArtifactConfig({ name: 'test_set', tags: ['holdout'] }), scaler: ArtifactConfig({ name: 'scaler', isModelArtifact: true }) },
      },
      async (rows: Row[]) => ({ train: rows.slice(0, 3), test: rows.slice(3), scaler: { factor: 3 } }),
    );
    const size = step({ name: 'size' }, async (rows: Row[], label: string) => `${label}=${rows.length}`);
    const p = pipeline({ name: 'multi', model: new Model({ name: 'multi_model' }) }, () => {
      const parts = split(load(5));
      size(parts.train, 'train');
      size(parts.test, 'test');
    });
    const run = await p();
    expect(run.status).toBe('completed');
    const rec = run.step('split');
    const [trainSet, testSet, scaler] = await Promise.all(['train_set', 'test_set', 'scaler'].map((n) => store.client.getArtifactVersion(n)));
    expect(rec.outputs).toEqual({ train: trainSet!.id, test: testSet!.id, scaler: scaler!.id });
    expect(testSet!.tags).toEqual(['holdout']);
    expect(scaler!.type).toBe('model');
    expect(ids((await store.client.listArtifactVersions({ modelVersionId: run.modelVersionId! })).items)).toContain(scaler!.id);
    expect(run.step('size').inputs).toEqual({ rows: trainSet!.id });
    expect(run.step('size_2').inputs).toEqual({ rows: testSet!.id });
    expect(await store.client.loadArtifact(run.step('size').outputs.output!)).toBe('train=3');
    expect(await store.client.loadArtifact(run.step('size_2').outputs.output!)).toBe('test=2');
  });

  it('fails a multi-output step that does not return every declared output', async () => {
    const partial = step({ name: 'partial', outputs: { a: 'out_a', b: 'out_b' } }, async () => ({ a: 1 }) as { a: number; b: number });
    const p = pipeline({ name: 'partial_outputs', client: store.client }, () => {
      partial();
    });
    const run = await p();
    expect(run.status).toBe('failed');
    expect(run.step('partial').error).toMatch(/ValidationError: Step "partial" returned no "b" output/);
  });

  it('links outputs reused from cache to the new model version', async () => {
    const p = training();
    const r1 = await p({ n: 4 });
    const r2 = await p({ n: 4 });
    expect(r2.status).toBe('completed');
    for (const s of r2.steps) {
      expect(s.status).toBe('cached');
      expect(s.cacheHit).toBe(true);
    }
    const v1 = await store.client.getModelVersion('outputs_model', 1);
    const v2 = await store.client.getModelVersion('outputs_model', 2);
    expect(r1.modelVersionId).toBe(v1.id);
    expect(r2.modelVersionId).toBe(v2.id);
    const linked1 = await store.client.listArtifactVersions({ modelVersionId: v1.id });
    const linked2 = await store.client.listArtifactVersions({ modelVersionId: v2.id });
    // Outputs and the checkpoints saved inside the original step run.
    expect(linked1.total).toBe(5);
    expect(ids(linked2.items)).toEqual(ids(linked1.items));
    expect(linked2.items.every((a) => a.producerRunId === r1.id)).toBe(true);
    // The new version's lazy refs find them.
    expect(await new Model({ name: 'outputs_model', version: 2 }).getModelArtifact('trained_model').load()).toEqual({ w: 3, rows: 4 });
    expect((await store.client.listPipelineRuns({ modelVersionId: v2.id })).items.map((r) => r.id)).toEqual([r2.id]);
  });
});

describe('saveArtifact and logMetadata inside steps', () => {
  it('saveArtifact(name, v, { isModelArtifact: true }) links to the step model version and records the producer step run', async () => {
    const run = await training()({ n: 3 });
    const trainRun = run.step('train');
    for (const epoch of [0, 1]) {
      const ckpt = await store.client.getArtifactVersion(`model_checkpoint_${epoch}`);
      expect(ckpt.type).toBe('model');
      expect(ckpt.producerRunId).toBe(run.id);
      expect(ckpt.producerStepRunId).toBe(trainRun.id);
      expect(await store.client.loadArtifact(ckpt)).toEqual({ epoch, w: epoch + 2 });
      expect(trainRun.outputs[`saved:model_checkpoint_${epoch}`]).toBe(ckpt.id);
    }
    const linked = await store.client.listArtifactVersions({ modelVersionId: run.modelVersionId!, type: 'model' });
    expect(linked.items.map((a) => a.name).sort()).toEqual(['model_checkpoint_0', 'model_checkpoint_1', 'trained_model']);
  });

  it('saveArtifact in a step model wins over the pipeline model; outside a step it links only where told', async () => {
    const saver = step({ name: 'saver', model: new Model({ name: 'saver_model' }) }, async () => {
      const av = await saveArtifact('side_output', { a: 1 });
      return av.id;
    });
    const p = pipeline({ name: 'saving', model: new Model({ name: 'pipeline_model' }) }, () => {
      saver();
    });
    const run = await p();
    const side = await store.client.getArtifactVersion('side_output');
    expect(await store.client.loadArtifact(run.step('saver').outputs.output!)).toBe(side.id);
    const saverVersion = await store.client.getModelVersion('saver_model', 1);
    expect(ids((await store.client.listArtifactVersions({ modelVersionId: saverVersion.id })).items)).toContain(side.id);
    expect((await store.client.listArtifactVersions({ modelVersionId: run.modelVersionId! })).total).toBe(0);

    const outside = await saveArtifact('outside', [1, 2]);
    expect(outside.producerRunId).toBeNull();
    expect(outside.producerStepRunId).toBeNull();
  });

  it('logMetadata({ inferModel: true }) in a step attaches to the model version', async () => {
    const run = await training()({ n: 4 });
    const mv = await store.client.getModelVersion('outputs_model', run.modelVersionId!);
    const metrics = mv.runMetadata['evaluation_metrics'];
    expect(metrics).toBeDefined();
    const value = metrics!.value as { accuracy: number; precision: number; recall: number };
    expect(value.accuracy).toBe(1);
    expect(value).toEqual({ accuracy: 1, precision: 0.5, recall: 0.25 });
    expect(metrics!.createdAt).toBeInstanceOf(Date);
    // The step run keeps only a copy for cache replay.
    expect(Object.keys(run.step('evaluate').runMetadata)).toEqual(['modelplane.model_metadata']);
  });

  it('logMetadata({ inferArtifact: true }) attaches to the step output artifact; with no target, to the step run', async () => {
    const scored = step({ name: 'scored', output: 'scores' }, async (xs: number[]) => {
      await logMetadata({ metadata: { rows: xs.length, schema: { columns: ['x'] } }, inferArtifact: true });
      await logMetadata({ metadata: { note: 'step-level', elapsed_ms: 12 } });
      return xs.map((x) => x / 10);
    });
    const twoOutputs = step({ name: 'two_outputs', outputs: { left: 'left_part', right: 'right_part' } }, async (xs: number[]) => {
      await logMetadata({ metadata: { side: 'right' }, inferArtifact: true, artifactName: 'right_part' });
      await expect(logMetadata({ metadata: { side: '?' }, inferArtifact: true })).rejects.toThrow(/several outputs: add artifactName/);
      return { left: xs.slice(0, 1), right: xs.slice(1) };
    });
    const p = pipeline({ name: 'metadata_targets', model: new Model({ name: 'metadata_model' }) }, () => {
      twoOutputs(scored([1, 2, 3]));
    });
    const run = await p();
    expect(run.status).toBe('completed');
    const scores = await store.client.getArtifactVersion('scores');
    expect(scores.runMetadata['rows']?.value).toBe(3);
    expect(scores.runMetadata['schema']?.value).toEqual({ columns: ['x'] });
    expect(scores.runMetadata['note']).toBeUndefined();
    const stepRun = run.step('scored');
    expect(stepRun.runMetadata['note']?.value).toBe('step-level');
    expect(stepRun.runMetadata['elapsed_ms']?.value).toBe(12);
    expect(stepRun.runMetadata['rows']).toBeUndefined();
    expect((await store.client.getArtifactVersion('right_part')).runMetadata['side']?.value).toBe('right');
    expect((await store.client.getArtifactVersion('left_part')).runMetadata).toEqual({});
    // Nothing went to the model version.
    expect((await store.client.getModelVersion('metadata_model', 1)).runMetadata).toEqual({});
  });

  it('logMetadata({ inferModel: true }) in a step without any model fails the step with a ValidationError', async () => {
    const orphan = step({ name: 'orphan_metrics' }, async () => {
      await logMetadata({ metadata: { accuracy: 0.5 }, inferModel: true });
      return 1;
    });
    const p = pipeline({ name: 'no_model_pipeline', client: store.client }, () => {
      orphan();
    });
    const run = await p();
    expect(run.status).toBe('failed');
    const rec = run.step('orphan_metrics');
    expect(rec.status).toBe('failed');
    expect(rec.error).toMatch(/^ValidationError: logMetadata\(\{ inferModel: true \}\) in step "orphan_metrics": neither the step nor its pipeline has a model/);
    expect((await store.client.listArtifactVersions()).total).toBe(0);
  });

  it('logMetadata outside a step without a target is a ValidationError; with one it works', async () => {
    await expect(logMetadata({ metadata: { a: 1 } })).rejects.toBeInstanceOf(ValidationError);
    await expect(logMetadata({ metadata: { a: 1 } })).rejects.toThrow(/needs a target outside a step/);
    await expect(logMetadata({ metadata: { a: 1 }, inferModel: true })).rejects.toThrow(/only works inside a running step/);
    await expect(logMetadata({ metadata: { a: 1 }, inferArtifact: true })).rejects.toThrow(/only works inside a running step/);

    const run = await training()({ n: 2 });
    await logMetadata({ metadata: { reviewed: true }, modelName: 'outputs_model', modelVersion: 'latest' });
    await logMetadata({ metadata: { reviewer: 'tester' }, runId: run.id });
    expect((await store.client.getModelVersion('outputs_model', 1)).runMetadata['reviewed']?.value).toBe(true);
    expect((await store.client.getPipelineRun(run.id)).runMetadata['reviewer']?.value).toBe('tester');
  });

  it('getStepContext() gives the resolved model, the run and the step run', async () => {
    const inspect = step({ name: 'inspect' }, async () => {
      const ctx = getStepContext();
      const mv = await ctx.model!.getVersion();
      return { model: ctx.model!.name, version: mv.number, run: ctx.pipelineRun.id, stepRun: ctx.stepRun.id, step: ctx.stepName };
    });
    const p = pipeline({ name: 'context', model: new Model({ name: 'ctx_model' }) }, () => {
      inspect();
    });
    const run = await p();
    expect(await store.client.loadArtifact(run.step('inspect').outputs.output!)).toEqual({ model: 'ctx_model', version: 1, run: run.id, stepRun: run.step('inspect').id, step: 'inspect' });
  });
});
