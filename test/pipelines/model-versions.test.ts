/**
 * Issue 3, point 5: how a pipeline run resolves its model version(s): a new version per run shared by
 * every step naming the model, step-level models winning, named and templated versions, stage selectors
 * pinned for the whole run, and refusal (with nothing recorded) when a selector finds nothing.
 */
import { describe, expect, it } from 'vitest';
import { ArtifactConfig, Model, ModelStages, NotFoundError, getStepContext, pipeline, step } from '../../src/index.js';
import { ids, useFreshStore } from './helpers.js';

const store = useFreshStore();

const produce = step({ name: 'produce', output: ArtifactConfig({ name: 'weights', isModelArtifact: true }) }, async (seed: number) => ({ seed }));
// It reads its context, which the cache key cannot see: never reuse it.
const versionSeen = step({ name: 'version_seen', enableCache: false }, async (_input: unknown) => {
  const mv = await getStepContext().model!.getVersion();
  return { id: mv.id, number: mv.number, name: mv.name, stage: mv.stage, model: mv.modelName };
});

describe('model version resolution per run', () => {
  it('creates one new version per run: two runs give versions 1 and 2, named "1" and "2"', async () => {
    const p = pipeline({ name: 'auto_versions', model: new Model({ name: 'auto' }) }, (params: { seed: number }) => {
      versionSeen(produce(params.seed));
    });
    const r1 = await p({ seed: 1 });
    const r2 = await p({ seed: 2 });
    const versions = await store.client.listModelVersions({ model: 'auto' });
    expect(versions.items.map((v) => [v.number, v.name]).sort()).toEqual([
      [1, '1'],
      [2, '2'],
    ]);
    const v1 = await store.client.getModelVersion('auto', 1);
    const v2 = await store.client.getModelVersion('auto', 2);
    expect(r1.modelVersionId).toBe(v1.id);
    expect(r2.modelVersionId).toBe(v2.id);
    expect(await store.client.loadArtifact(r1.step('version_seen').outputs.output!)).toMatchObject({ id: v1.id, number: 1, name: '1' });
    expect(await store.client.loadArtifact(r2.step('version_seen').outputs.output!)).toMatchObject({ id: v2.id, number: 2, name: '2' });
    expect((await store.client.listArtifactVersions({ modelVersionId: v1.id, name: 'weights' })).items.map((a) => a.version)).toEqual([1]);
    expect((await store.client.listArtifactVersions({ modelVersionId: v2.id, name: 'weights' })).items.map((a) => a.version)).toEqual([2]);
    // The pipeline's Model object itself stays a template: a third run makes a third version.
    await p({ seed: 3 });
    expect((await store.client.getModel('auto')).latestVersion).toBe(3);
  });

  it('shares the one auto version of a run among all steps naming the same model; a step model wins over the pipeline model', async () => {
    const sameModelStep = step({ name: 'same_model_step', model: new Model({ name: 'shared' }) }, async (x: number) => x + 1);
    const otherModelStep = step({ name: 'other_model_step', output: 'other_output', model: new Model({ name: 'elsewhere' }) }, async (x: number) => x + 2);
    const p = pipeline({ name: 'sharing', model: new Model({ name: 'shared' }) }, () => {
      const a = produce(1);
      versionSeen(a);
      sameModelStep(3);
      otherModelStep(4);
    });
    const run = await p();
    expect(run.status).toBe('completed');
    const shared = await store.client.listModelVersions({ model: 'shared' });
    expect(shared.total).toBe(1);
    const sharedV = shared.items[0]!;
    const elsewhere = await store.client.listModelVersions({ model: 'elsewhere' });
    expect(elsewhere.total).toBe(1);
    const elsewhereV = elsewhere.items[0]!;

    expect(run.modelVersionId).toBe(sharedV.id);
    expect(run.step('produce').modelVersionId).toBe(sharedV.id);
    expect(run.step('version_seen').modelVersionId).toBe(sharedV.id);
    expect(run.step('same_model_step').modelVersionId).toBe(sharedV.id);
    expect(run.step('other_model_step').modelVersionId).toBe(elsewhereV.id);
    // Outputs follow their step's model.
    const sharedArtifacts = await store.client.listArtifactVersions({ modelVersionId: sharedV.id });
    expect(sharedArtifacts.items.map((a) => a.name).sort()).toEqual(['sharing::same_model_step::output', 'sharing::version_seen::output', 'weights']);
    const elsewhereArtifacts = await store.client.listArtifactVersions({ modelVersionId: elsewhereV.id });
    expect(elsewhereArtifacts.items.map((a) => a.name)).toEqual(['other_output']);
    // Both versions know the run.
    expect((await store.client.listPipelineRuns({ modelVersionId: elsewhereV.id })).items.map((r) => r.id)).toEqual([run.id]);
    expect((await store.client.listPipelineRuns({ modelVersionId: sharedV.id })).items.map((r) => r.id)).toEqual([run.id]);

    // A second run: one more version of each.
    await p();
    expect((await store.client.getModel('shared')).latestVersion).toBe(2);
    expect((await store.client.getModel('elsewhere')).latestVersion).toBe(2);
  });

  it('a step model applies even when the pipeline has none', async () => {
    const own = step({ name: 'own_model', output: 'own_output', model: new Model({ name: 'step_only' }) }, async () => 'x');
    const p = pipeline({ name: 'no_pipeline_model', client: store.client }, () => {
      own();
    });
    const run = await p();
    expect(run.modelVersionId).toBeNull();
    const v = await store.client.getModelVersion('step_only', 1);
    expect(run.step('own_model').modelVersionId).toBe(v.id);
    expect((await store.client.listArtifactVersions({ modelVersionId: v.id })).items.map((a) => a.name)).toEqual(['own_output']);
  });

  it('a pipeline pinned to a version name reuses that version: artifacts accumulate', async () => {
    const p = pipeline({ name: 'named', model: new Model({ name: 'named_model', version: '1.0.5', license: 'Apache 2.0' }) }, (params: { seed: number }) => {
      versionSeen(produce(params.seed));
    });
    const r1 = await p({ seed: 1 });
    const r2 = await p({ seed: 2 });
    const versions = await store.client.listModelVersions({ model: 'named_model' });
    expect(versions.total).toBe(1);
    const mv = versions.items[0]!;
    expect(mv.name).toBe('1.0.5');
    expect(mv.number).toBe(1);
    expect((await store.client.getModel('named_model')).license).toBe('Apache 2.0');
    expect(r1.modelVersionId).toBe(mv.id);
    expect(r2.modelVersionId).toBe(mv.id);
    const weights = await store.client.listArtifactVersions({ modelVersionId: mv.id, name: 'weights' });
    expect(weights.items.map((a) => a.version).sort()).toEqual([1, 2]);
    expect(await new Model({ name: 'named_model', version: '1.0.5' }).loadArtifact('weights')).toEqual({ seed: 2 });
    expect(await new Model({ name: 'named_model', version: '1.0.5' }).loadArtifact('weights', 1)).toEqual({ seed: 1 });
    expect(ids((await store.client.listPipelineRuns({ modelVersionId: mv.id })).items)).toEqual(ids([r1, r2]));
  });

  it('renders templated names per run: run-{run.id[:8]}', async () => {
    const p = pipeline({ name: 'templated', model: new Model({ name: 'templ', version: 'run-{run.id[:8]}' }) }, (params: { seed: number }) => {
      versionSeen(produce(params.seed));
    });
    const r1 = await p({ seed: 1 });
    const r2 = await p({ seed: 1 });
    const v1 = await store.client.getModelVersion('templ', r1.modelVersionId!);
    const v2 = await store.client.getModelVersion('templ', r2.modelVersionId!);
    expect(v1.name).toBe(`run-${r1.id.slice(0, 8)}`);
    expect(v2.name).toBe(`run-${r2.id.slice(0, 8)}`);
    expect(v1.name).not.toBe(v2.name);
    expect([v1.number, v2.number]).toEqual([1, 2]);
    expect(await store.client.loadArtifact(r2.step('version_seen').outputs.output!)).toMatchObject({ name: `run-${r2.id.slice(0, 8)}` });
    // The second run reused cached outputs, linked to its own version.
    expect(r2.step('produce').cacheHit).toBe(true);
    expect(ids((await store.client.listArtifactVersions({ modelVersionId: v2.id, name: 'weights' })).items)).toEqual(ids((await store.client.listArtifactVersions({ modelVersionId: v1.id, name: 'weights' })).items));
  });

  it('renders {pipeline.name}, {run.name} and custom substitutions (the model\'s win over the pipeline\'s)', async () => {
    const p = pipeline(
      { name: 'vision_training', model: new Model({ name: 'subst', version: '{pipeline.name}-{team}-{stage_name}' }), substitutions: { team: 'vision', stage_name: 'p' } },
      () => {
        produce(1);
      },
    );
    const run = await p();
    expect((await store.client.getModelVersion('subst', run.modelVersionId!)).name).toBe('vision_training-vision-p');

    const q = pipeline(
      { name: 'q', model: new Model({ name: 'subst', version: '{team}_{run.name}', substitutions: { team: 'nlp' } }), substitutions: { team: 'vision' } },
      () => {
        produce(2);
      },
    );
    const qRun = await q();
    expect((await store.client.getModelVersion('subst', qRun.modelVersionId!)).name).toBe(`nlp_${qRun.name}`);

    const dated = pipeline({ name: 'dated', model: new Model({ name: 'subst', version: 'd{date}' }) }, () => {
      produce(3);
    });
    const datedRun = await dated();
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '_');
    expect((await store.client.getModelVersion('subst', datedRun.modelVersionId!)).name).toBe(`d${today}`);
  });

  it('pins a version selected by stage for the whole run, even when another version is force-promoted mid-run', async () => {
    const client = store.client;
    await client.createModel({ name: 'staged' });
    const v1 = await client.createModelVersion({ model: 'staged' });
    const v2 = await client.createModelVersion({ model: 'staged' });
    await client.updateModelVersion('staged', v1.number, { stage: ModelStages.PRODUCTION });

    const first = step({ name: 'first' }, async () => (await getStepContext().model!.getVersion()).id);
    const promote = step({ name: 'promote' }, async (seen: string) => {
      await client.updateModelVersion('staged', v2.number, { stage: ModelStages.PRODUCTION, force: true, reason: 'mid-run' });
      // Anyone resolving "production" now gets version 2 …
      expect((await client.getModelVersion('staged', ModelStages.PRODUCTION)).id).toBe(v2.id);
      return seen;
    });
    const last = step({ name: 'last' }, async (_seen: string) => {
      const mv = await getStepContext().model!.getVersion();
      return { id: mv.id, stage: mv.stage };
    });
    const p = pipeline({ name: 'pinned_by_stage', model: new Model({ name: 'staged', version: ModelStages.PRODUCTION }) }, () => {
      last(promote(first()));
    });
    const run = await p();
    expect(run.status).toBe('completed');
    // … but this run stays on version 1, which was production when it started.
    expect(run.modelVersionId).toBe(v1.id);
    expect(await client.loadArtifact(run.step('first').outputs.output!)).toBe(v1.id);
    expect(await client.loadArtifact(run.step('last').outputs.output!)).toEqual({ id: v1.id, stage: 'archived' });
    for (const s of run.steps) expect(s.modelVersionId).toBe(v1.id);
    expect((await client.listArtifactVersions({ modelVersionId: v1.id })).total).toBe(3);
    expect((await client.listArtifactVersions({ modelVersionId: v2.id })).total).toBe(0);
    // A new run now picks version 2.
    const next = await p();
    expect(next.modelVersionId).toBe(v2.id);
  });

  it('resolves number and latest selectors to existing versions without creating any', async () => {
    const client = store.client;
    await client.createModel({ name: 'existing' });
    const v1 = await client.createModelVersion({ model: 'existing' });
    const v2 = await client.createModelVersion({ model: 'existing', name: 'second' });
    const byNumber = pipeline({ name: 'by_number', model: new Model({ name: 'existing', version: 1 }) }, () => {
      produce(1);
    });
    const byLatest = pipeline({ name: 'by_latest', model: new Model({ name: 'existing', version: ModelStages.LATEST }) }, () => {
      produce(2);
    });
    expect((await byNumber()).modelVersionId).toBe(v1.id);
    expect((await byLatest()).modelVersionId).toBe(v2.id);
    expect((await client.listModelVersions({ model: 'existing' })).total).toBe(2);
  });

  it('refuses a run whose stage selector finds no version: NotFoundError before the run starts, nothing recorded', async () => {
    const client = store.client;
    await client.createModel({ name: 'unpromoted' });
    await client.createModelVersion({ model: 'unpromoted' });
    const p = pipeline({ name: 'needs_production', model: new Model({ name: 'unpromoted', version: ModelStages.PRODUCTION }) }, () => {
      versionSeen(produce(1));
    });
    const error = await p().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(/production/);
    expect((error as Error).message).toMatch(/unpromoted/);
    expect((await client.listPipelineRuns()).total).toBe(0);
    expect((await client.listArtifactVersions()).total).toBe(0);
    expect((await client.listModelVersions({ model: 'unpromoted' })).total).toBe(1);

    // A model that does not exist at all: the same, and no model is created.
    const q = pipeline({ name: 'needs_missing_model', model: new Model({ name: 'ghost', version: ModelStages.PRODUCTION }) }, () => {
      produce(1);
    });
    await expect(q()).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getModel('ghost')).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.listPipelineRuns()).total).toBe(0);
  });

  it('creates no version of one model when another model of the same run cannot be resolved', async () => {
    const usesProduction = step({ name: 'uses_production', model: new Model({ name: 'prod_only', version: ModelStages.PRODUCTION }) }, async () => 1);
    const p = pipeline({ name: 'mixed', model: new Model({ name: 'fresh' }) }, () => {
      produce(1);
      usesProduction();
    });
    await expect(p()).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.client.listPipelineRuns()).total).toBe(0);
    // Nothing was created for the pipeline's own model either.
    expect((await store.client.listModels()).total).toBe(0);

    // The same for a step model whose version template cannot be rendered.
    const badTemplate = step({ name: 'bad_template', model: new Model({ name: 'templated_step', version: 'v-{unknown_key}' }) }, async () => 1);
    const q = pipeline({ name: 'mixed_template', model: new Model({ name: 'fresh' }) }, () => {
      produce(1);
      badTemplate();
    });
    await expect(q()).rejects.toThrow(/unknown_key/);
    expect((await store.client.listModels()).total).toBe(0);
    expect((await store.client.listPipelineRuns()).total).toBe(0);
  });

  it('a step asking for the latest version of the model the run creates a version of gets that new version', async () => {
    await store.client.createModel({ name: 'growing' });
    await store.client.createModelVersion({ model: 'growing' });
    const readsLatest = step({ name: 'reads_latest', enableCache: false, model: new Model({ name: 'growing', version: ModelStages.LATEST }) }, async () => (await getStepContext().model!.getVersion()).number);
    const p = pipeline({ name: 'growing_pipeline', model: new Model({ name: 'growing' }) }, () => {
      produce(1);
      readsLatest();
    });
    const run = await p();
    const created = await store.client.getModelVersion('growing', run.modelVersionId!);
    expect(created.number).toBe(2);
    expect(await store.client.loadArtifact(run.step('reads_latest').outputs.output!)).toBe(2);
    expect(run.step('reads_latest').modelVersionId).toBe(created.id);
  });
});
