/**
 * Issue 3, point 4: what a run leaves behind. The pipeline run (status, parameters, times, model
 * version), its step runs (status, times, inputs and outputs as artifact version ids, captured logs,
 * cache hits), the listing and lookup of runs, and lineage from artifact versions back to the step run
 * that produced them.
 */
import { describe, expect, it } from 'vitest';
import { ArtifactConfig, Model, NotFoundError, getStepContext, pipeline, step } from '../../src/index.js';
import { ids, useFreshStore } from './helpers.js';

const store = useFreshStore();

interface Row {
  x: number;
  y: number;
}

const load = step({ name: 'load', output: 'dataset' }, async (n: number) => {
  console.log('loading', n, 'rows');
  return Array.from({ length: n }, (_, i): Row => ({ x: i, y: 2 * i + 1 }));
});
const train = step({ name: 'train', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true }) }, async (data: Row[], lr: number) => {
  console.info(`training on ${data.length} rows with lr=${lr}`);
  console.error('a warning-ish line');
  const { stepRun, pipelineRun, stepName } = getStepContext();
  return { w: 2, b: 1, lr, stepRunId: stepRun.id, runId: pipelineRun.id, stepName };
});
const evaluate = step({ name: 'evaluate', output: 'report' }, async (model: { w: number; b: number }, data: Row[]) => {
  const errors = data.filter((r) => model.w * r.x + model.b !== r.y).length;
  return { errors, rows: data.length };
});

const training = () =>
  pipeline({ name: 'training', model: new Model({ name: 'records_model' }) }, (p: { n: number; lr: number }) => {
    const data = load(p.n);
    evaluate(train(data, p.lr), data);
  });

describe('run records', () => {
  it('records the pipeline run: status, parameters, times and model version', async () => {
    const before = Date.now();
    const run = await training()({ n: 5, lr: 0.1 });
    const after = Date.now();
    expect(run.status).toBe('completed');
    expect(run.error).toBeNull();
    expect(run.pipelineName).toBe('training');
    expect(run.name).toMatch(new RegExp(`^training-\\d{8}-\\d{6}-${run.id.slice(0, 8)}$`));
    expect(run.parameters).toEqual({ n: 5, lr: 0.1 });
    expect(run.startedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(run.endedAt!.getTime()).toBeLessThanOrEqual(after + 1);
    expect(run.endedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
    const mv = await store.client.getModelVersion('records_model', 1);
    expect(run.modelVersionId).toBe(mv.id);

    // getPipelineRun gives the same record.
    const stored = await store.client.getPipelineRun(run.id);
    expect(stored).toMatchObject({
      id: run.id,
      name: run.name,
      pipelineName: 'training',
      status: 'completed',
      parameters: { n: 5, lr: 0.1 },
      modelVersionId: mv.id,
      error: null,
    });
    expect(stored.startedAt).toEqual(run.startedAt);
    expect(stored.endedAt).toEqual(run.endedAt);
    await expect(store.client.getPipelineRun('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('records each step run: status, times, inputs and outputs as artifact version ids, logs, cache hit', async () => {
    const run = await training()({ n: 4, lr: 0.5 });
    expect(run.steps.map((s) => s.name)).toEqual(['load', 'train', 'evaluate']);
    const [loadRun, trainRun, evalRun] = run.steps as [typeof run.steps[0], typeof run.steps[0], typeof run.steps[0]];
    for (const s of run.steps) {
      expect(s.pipelineRunId).toBe(run.id);
      expect(s.status).toBe('completed');
      expect(s.cacheHit).toBe(false);
      expect(s.cacheKey).toMatch(/^[0-9a-f]{64}$/);
      expect(s.modelVersionId).toBe(run.modelVersionId);
      expect(s.endedAt!.getTime()).toBeGreaterThanOrEqual(s.startedAt.getTime());
      expect(s.startedAt.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
      expect(s.endedAt!.getTime()).toBeLessThanOrEqual(run.endedAt!.getTime());
    }

    const dataset = await store.client.getArtifactVersion('dataset', 1);
    const trained = await store.client.getArtifactVersion('trained_model', 1);
    const report = await store.client.getArtifactVersion('report', 1);
    // Literal inputs are not artifacts; inputs that are artifacts are recorded under the parameter names.
    expect(loadRun.inputs).toEqual({});
    expect(loadRun.outputs).toEqual({ output: dataset.id });
    expect(trainRun.inputs).toEqual({ data: dataset.id });
    expect(trainRun.outputs).toEqual({ output: trained.id });
    expect(evalRun.inputs).toEqual({ model: trained.id, data: dataset.id });
    expect(evalRun.outputs).toEqual({ output: report.id });
    expect(await store.client.loadArtifact(report)).toEqual({ errors: 0, rows: 4 });

    // console.* inside a step is captured with its step run (errors and warnings marked).
    expect(loadRun.logs).toBe('loading 4 rows');
    expect(trainRun.logs).toBe('training on 4 rows with lr=0.5\n[error] a warning-ish line');
    expect(evalRun.logs).toBe('');

    // The step saw its own records through getStepContext().
    expect(await store.client.loadArtifact(trained)).toMatchObject({ stepRunId: trainRun.id, runId: run.id, stepName: 'train' });

    // A second identical run reuses everything: cache hits are recorded.
    const again = await training()({ n: 4, lr: 0.5 });
    expect(again.steps.map((s) => [s.name, s.status, s.cacheHit])).toEqual([
      ['load', 'cached', true],
      ['train', 'cached', true],
      ['evaluate', 'cached', true],
    ]);
    expect(again.step('train').inputs).toEqual({ data: dataset.id });
    expect(again.step('train').outputs).toEqual({ output: trained.id });
    expect(again.step('load').logs).toContain(`Reused the outputs of step run ${loadRun.id}`);
  });

  it('lists runs by pipeline, model version and status, newest first', async () => {
    const first = await training()({ n: 3, lr: 0.1 });
    const second = await training()({ n: 3, lr: 0.2 });
    const other = pipeline({ name: 'other_pipeline', client: store.client }, () => {
      load(2);
    });
    const third = await other();

    const all = await store.client.listPipelineRuns();
    expect(all.total).toBe(3);
    const byTraining = await store.client.listPipelineRuns({ pipeline: 'training' });
    expect(byTraining.total).toBe(2);
    expect(byTraining.items.map((r) => r.id)).toEqual([second.id, first.id]);
    expect((await store.client.listPipelineRuns({ pipeline: 'other_pipeline' })).items.map((r) => r.id)).toEqual([third.id]);
    expect((await store.client.listPipelineRuns({ pipeline: 'nope' })).total).toBe(0);
    expect(third.modelVersionId).toBeNull();
    expect((await store.client.listPipelineRuns({ modelVersionId: first.modelVersionId! })).items.map((r) => r.id)).toEqual([first.id]);
    expect((await store.client.listPipelineRuns({ status: 'completed' })).total).toBe(3);
  });

  it('keeps lineage: artifact versions name their producing run and step run; runs list their artifacts', async () => {
    const run = await training()({ n: 3, lr: 0.1 });
    for (const s of run.steps) {
      const av = await store.client.getArtifactVersion(s.outputs.output!);
      expect(av.producerRunId).toBe(run.id);
      expect(av.producerStepRunId).toBe(s.id);
    }
    const produced = await store.client.listArtifactVersions({ runId: run.id });
    expect(produced.total).toBe(3);
    expect(ids(produced.items)).toEqual(ids(run.steps.map((s) => ({ id: s.outputs.output! }))));
    expect(produced.items.map((a) => `${a.name}@${a.version}:${a.type}`).sort()).toEqual(['dataset@1:data', 'report@1:data', 'trained_model@1:model']);

    // A different run: new artifact versions, own lineage; the first run's list is unchanged.
    const second = await training()({ n: 6, lr: 0.1 });
    const secondArtifacts = await store.client.listArtifactVersions({ runId: second.id });
    expect(secondArtifacts.items.map((a) => `${a.name}@${a.version}`).sort()).toEqual(['dataset@2', 'report@2', 'trained_model@2']);
    expect(secondArtifacts.items.every((a) => a.producerRunId === second.id)).toBe(true);
    expect((await store.client.listArtifactVersions({ runId: run.id })).total).toBe(3);

    // A cached run produced nothing new, but its step runs read and wrote the original versions.
    const cached = await training()({ n: 3, lr: 0.1 });
    expect(cached.steps.every((s) => s.cacheHit)).toBe(true);
    const cachedArtifacts = await store.client.listArtifactVersions({ runId: cached.id });
    expect(ids(cachedArtifacts.items)).toEqual(ids(produced.items));
    expect(cachedArtifacts.items.every((a) => a.producerRunId === run.id)).toBe(true);
  });

  it('records a skipped step run without timings of work, and failed runs keep their parameters', async () => {
    const boom = step({ name: 'boom' }, async (_n: number): Promise<number> => {
      throw new Error('boom');
    });
    const never = step({ name: 'never' }, async (n: number) => n);
    const p = pipeline({ name: 'skipping', client: store.client }, (params: { n: number }) => {
      never(boom(params.n));
    });
    const run = await p({ n: 1 });
    expect(run.parameters).toEqual({ n: 1 });
    const skipped = run.step('never');
    expect(skipped.status).toBe('skipped');
    expect(skipped.cacheHit).toBe(false);
    expect(skipped.endedAt).not.toBeNull();
    expect(skipped.inputs).toEqual({});
    expect(skipped.outputs).toEqual({});
    expect(() => run.step('missing')).toThrow(/has no step "missing"; its steps are boom, never/);
  });
});
