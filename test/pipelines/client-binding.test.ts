/**
 * A pipeline given its client only through `pipeline({ client })` (no active client) keeps everything in
 * that client's store: the model versions it resolves or creates, lazy refs, outputs, checkpoints and
 * metadata logged inside steps. The default store (MODELPLANE_HOME, pointed at an empty temp folder
 * here) is never opened.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactConfig, Client, Model, ModelStages, getPipelineContext, getStepContext, logMetadata, pipeline, saveArtifact, step } from '../../src/index.js';

let home: string;
let defaultHome: string;
let client: Client;
let savedEnv: string | undefined;
let savedActive: Client | undefined;

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'modelplane-pipelines-'));
  defaultHome = await mkdtemp(path.join(os.tmpdir(), 'modelplane-default-home-'));
  savedEnv = process.env.MODELPLANE_HOME;
  process.env.MODELPLANE_HOME = defaultHome;
  savedActive = Client.setActive(undefined);
  client = new Client({ home, actor: 'tester' });
});

afterEach(async () => {
  await client.close();
  // Whatever Client.active() may have created stays unopened; drop it.
  Client.setActive(savedActive);
  if (savedEnv === undefined) delete process.env.MODELPLANE_HOME;
  else process.env.MODELPLANE_HOME = savedEnv;
  await rm(home, { recursive: true, force: true });
  await rm(defaultHome, { recursive: true, force: true });
});

const expectDefaultStoreUntouched = () => {
  expect(existsSync(defaultHome) ? readdirSync(defaultHome) : []).toEqual([]);
};

describe('pipeline({ client }) without an active client', () => {
  it('creates the run\'s model version, outputs, checkpoints and metadata in that client\'s store', async () => {
    const train = step({ name: 'train', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true }) }, async (w: number) => {
      await saveArtifact('checkpoint', { w: w - 1 }, { isModelArtifact: true });
      await logMetadata({ metadata: { evaluation_metrics: { accuracy: 0.75 } }, inferModel: true });
      await logMetadata({ metadata: { rows: 3 } });
      return { w, version: (await getStepContext().model!.getVersion()).id };
    });
    const helper = step({ name: 'helper', model: new Model({ name: 'helper_model' }) }, async () => 'help');
    const p = pipeline({ name: 'bound', client, model: new Model({ name: 'bound_model' }) }, () => {
      train(2);
      helper();
    });
    const run = await p();
    expect(run.status).toBe('completed');
    expect(run.steps.map((s) => s.error)).toEqual([null, null]);

    const mv = await client.getModelVersion('bound_model', 1);
    expect(run.modelVersionId).toBe(mv.id);
    expect((mv.runMetadata['evaluation_metrics']?.value as { accuracy: number }).accuracy).toBe(0.75);
    expect((await client.listArtifactVersions({ modelVersionId: mv.id })).items.map((a) => a.name).sort()).toEqual(['checkpoint', 'trained_model']);
    expect(await client.loadArtifact('trained_model')).toEqual({ w: 2, version: mv.id });
    expect(run.step('train').runMetadata['rows']?.value).toBe(3);
    // A step's own model without a client also lives in the run's store.
    const helperVersion = await client.getModelVersion('helper_model', 1);
    expect(run.step('helper').modelVersionId).toBe(helperVersion.id);
    expectDefaultStoreUntouched();
  });

  it('resolves stage selectors and lazy refs in that client\'s store', async () => {
    const train = step({ name: 'train', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true }) }, async (w: number) => ({ w }));
    const predict = step({ name: 'predict', output: 'predictions' }, async (model: { w: number }, xs: number[]) => xs.map((x) => x * model.w));
    const training = pipeline({ name: 'training', client, model: new Model({ name: 'bound_model' }) }, () => {
      train(4);
    });
    await training();
    await client.updateModelVersion('bound_model', 1, { stage: ModelStages.PRODUCTION });
    const inference = pipeline({ name: 'inference', client, model: new Model({ name: 'bound_model', version: ModelStages.PRODUCTION }) }, () => {
      predict(getPipelineContext().model!.getModelArtifact<{ w: number }>('trained_model'), [1, 2]);
    });
    const run = await inference();
    expect(run.status).toBe('completed');
    expect(await client.loadArtifact('predictions')).toEqual([4, 8]);
    expectDefaultStoreUntouched();
  });
});
