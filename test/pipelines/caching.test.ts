/**
 * Issue 3, point 8: step caching. Same step code, configuration and input artifact versions → the
 * earlier outputs are reused; a different literal input or a different upstream artifact → recomputed;
 * `enableCache: false` on the pipeline or the step → recomputed.
 */
import { describe, expect, it } from 'vitest';
import { ArtifactConfig, Model, logMetadata, pipeline, step, type PipelineRunResult } from '../../src/index.js';
import { useFreshStore } from './helpers.js';

const store = useFreshStore();

/** Step name → how many times its function actually ran. */
const calls = new Map<string, number>();
const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);

const load = step({ name: 'load', output: 'rows' }, async (n: number) => {
  count('load');
  return Array.from({ length: n }, (_, i) => i);
});
const total = step({ name: 'total', output: 'total' }, async (rows: number[], scale: number) => {
  count('total');
  return rows.reduce((a, b) => a + b, 0) * scale;
});
const report = step({ name: 'report', output: 'report' }, async (sum: number) => {
  count('report');
  return `sum=${sum}`;
});

const statusOf = (run: PipelineRunResult) => Object.fromEntries(run.steps.map((s) => [s.name, s.status]));

function makePipeline(options: { enableCache?: boolean } = {}) {
  return pipeline({ name: 'cached_pipeline', model: new Model({ name: 'cache_model' }), ...options }, (p: { n: number; scale: number }) => {
    report(total(load(p.n), p.scale));
  });
}

describe('step caching', () => {
  it('replays the metadata a cached step logged to its model version onto the new version', async () => {
    const evaluate = step({ name: 'evaluate_replay', output: 'replay_scores' }, async (n: number) => {
      await logMetadata({ metadata: { evaluation_metrics: { accuracy: n / 10 } }, inferModel: true });
      return { n };
    });
    const p = pipeline({ name: 'replay_pipeline', model: new Model({ name: 'replay_model' }) }, (params: { n: number }) => {
      evaluate(params.n);
    });
    const r1 = await p({ n: 9 });
    const r2 = await p({ n: 9 });
    expect(r2.step('evaluate_replay').status).toBe('cached');
    const v1 = await store.client.getModelVersion('replay_model', 1);
    const v2 = await store.client.getModelVersion('replay_model', 2);
    expect(v1.id).toBe(r1.modelVersionId);
    expect(v2.id).toBe(r2.modelVersionId);
    expect(v2.runMetadata['evaluation_metrics']!.value.accuracy).toBe(0.9);
    expect(v1.runMetadata['evaluation_metrics']!.value).toEqual(v2.runMetadata['evaluation_metrics']!.value);
  });

  it('reuses outputs for the same code, configuration and input artifact versions', async () => {
    calls.clear();
    const p = makePipeline();
    const r1 = await p({ n: 4, scale: 2 });
    const r2 = await p({ n: 4, scale: 2 });
    expect(statusOf(r1)).toEqual({ load: 'completed', total: 'completed', report: 'completed' });
    expect(statusOf(r2)).toEqual({ load: 'cached', total: 'cached', report: 'cached' });
    expect(r2.steps.every((s) => s.cacheHit)).toBe(true);
    expect([...calls]).toEqual([
      ['load', 1],
      ['total', 1],
      ['report', 1],
    ]);
    for (const name of ['load', 'total', 'report']) {
      expect(r2.step(name).cacheKey).toBe(r1.step(name).cacheKey);
      expect(r2.step(name).outputs).toEqual(r1.step(name).outputs);
    }
    // No new artifact versions were stored.
    expect((await store.client.listArtifactVersions()).total).toBe(3);
    expect(await store.client.loadArtifact('report')).toBe('sum=12');
    // The same step in another pipeline, with the same input, reuses the output too.
    const other = pipeline({ name: 'other_pipeline', client: store.client }, () => {
      load(4);
    });
    const r3 = await other();
    expect(r3.step('load').cacheHit).toBe(true);
    expect(r3.step('load').outputs).toEqual(r1.step('load').outputs);
    expect(calls.get('load')).toBe(1);
  });

  it('recomputes a step whose literal input differs, and only what depends on it', async () => {
    calls.clear();
    const p = makePipeline();
    const r1 = await p({ n: 4, scale: 2 });
    const r2 = await p({ n: 4, scale: 3 });
    expect(statusOf(r2)).toEqual({ load: 'cached', total: 'completed', report: 'completed' });
    expect(r2.step('total').cacheKey).not.toBe(r1.step('total').cacheKey);
    expect(r2.step('total').inputs).toEqual(r1.step('total').inputs);
    expect(await store.client.loadArtifact(r2.step('report').outputs.output!)).toBe('sum=18');
    expect(calls.get('load')).toBe(1);
    expect(calls.get('total')).toBe(2);
    // Going back to the first parameters hits the first run's cache entries again.
    const r3 = await p({ n: 4, scale: 2 });
    expect(statusOf(r3)).toEqual({ load: 'cached', total: 'cached', report: 'cached' });
    expect(r3.step('report').outputs).toEqual(r1.step('report').outputs);
  });

  it('recomputes downstream steps when an upstream artifact differs', async () => {
    calls.clear();
    const p = makePipeline();
    const r1 = await p({ n: 4, scale: 2 });
    const r2 = await p({ n: 5, scale: 2 });
    expect(statusOf(r2)).toEqual({ load: 'completed', total: 'completed', report: 'completed' });
    expect(r2.step('total').inputs.rows).not.toBe(r1.step('total').inputs.rows);
    expect(await store.client.loadArtifact(r2.step('report').outputs.output!)).toBe('sum=20');

    // A new upstream artifact version recomputes downstream even if its value is identical:
    // the cache key follows artifact versions, not values.
    const fresh = step({ name: 'fresh_rows', output: 'fresh_rows', enableCache: false }, async () => [0, 1, 2, 3]);
    const q = pipeline({ name: 'fresh_upstream', client: store.client }, () => {
      total(fresh(), 2);
    });
    const q1 = await q();
    const q2 = await q();
    expect(q2.step('fresh_rows').status).toBe('completed');
    expect(q2.step('total').status).toBe('completed');
    expect(q2.step('total').inputs.rows).not.toBe(q1.step('total').inputs.rows);
  });

  it('recomputes everything with enableCache: false on the pipeline', async () => {
    calls.clear();
    await makePipeline()({ n: 4, scale: 2 });
    const run = await makePipeline({ enableCache: false })({ n: 4, scale: 2 });
    expect(statusOf(run)).toEqual({ load: 'completed', total: 'completed', report: 'completed' });
    expect(run.steps.some((s) => s.cacheHit)).toBe(false);
    expect([...calls.values()]).toEqual([2, 2, 2]);
    expect((await store.client.getArtifactVersion('report')).version).toBe(2);
  });

  it('recomputes a step with enableCache: false, whatever the pipeline says; a step can opt in when the pipeline opts out', async () => {
    let uncachedCalls = 0;
    let optInCalls = 0;
    const uncached = step({ name: 'uncached', output: 'uncached', enableCache: false }, async (rows: number[]) => {
      uncachedCalls++;
      return rows.length;
    });
    const optIn = step({ name: 'opt_in', output: 'opt_in', enableCache: true }, async (rows: number[]) => {
      optInCalls++;
      return rows.length + 1;
    });
    const p = pipeline({ name: 'step_flags', client: store.client }, () => {
      uncached(load(3));
    });
    const r1 = await p();
    const r2 = await p();
    expect(statusOf(r2)).toEqual({ load: 'cached', uncached: 'completed' });
    expect(uncachedCalls).toBe(2);
    expect(r2.step('uncached').cacheKey).toBe(r1.step('uncached').cacheKey);

    const q = pipeline({ name: 'pipeline_off', client: store.client, enableCache: false }, () => {
      optIn(load(3));
    });
    const q1 = await q();
    const q2 = await q();
    expect(statusOf(q1)).toEqual({ load: 'completed', opt_in: 'completed' });
    // load ran again (pipeline says no), so opt_in sees a new input artifact and must recompute too.
    expect(statusOf(q2)).toEqual({ load: 'completed', opt_in: 'completed' });
    const optOnly = pipeline({ name: 'pipeline_off_literal', client: store.client, enableCache: false }, () => {
      optIn([41]);
    });
    await optOnly();
    const o2 = await optOnly();
    expect(o2.step('opt_in').status).toBe('cached');
    expect(optInCalls).toBe(3);
  });

  it('recomputes when the step code or its output configuration changes', async () => {
    const v1 = step({ name: 'versioned', output: 'versioned' }, async (x: number) => x + 1);
    const v2 = step({ name: 'versioned', output: 'versioned' }, async (x: number) => x + 2);
    const v3 = step({ name: 'versioned', output: ArtifactConfig({ name: 'versioned', isModelArtifact: true }) }, async (x: number) => x + 2);
    const run = async (s: typeof v1) => (await pipeline({ name: 'code_change', client: store.client }, () => void s(1))()).step('versioned');
    expect((await run(v1)).status).toBe('completed');
    expect((await run(v1)).status).toBe('cached');
    const changed = await run(v2);
    expect(changed.status).toBe('completed');
    expect(await store.client.loadArtifact(changed.outputs.output!)).toBe(3);
    expect((await run(v3)).status).toBe('completed');
    expect((await store.client.getArtifactVersion('versioned')).type).toBe('model');
  });

  it('does not reuse a failed step run', async () => {
    let fail = true;
    const sometimes = step({ name: 'sometimes', output: 'sometimes' }, async (x: number) => {
      if (fail) throw new Error('not this time');
      return x;
    });
    const p = pipeline({ name: 'failure_not_cached', client: store.client }, () => {
      sometimes(1);
    });
    expect((await p()).status).toBe('failed');
    fail = false;
    const second = await p();
    expect(second.step('sometimes').status).toBe('completed');
    expect((await p()).step('sometimes').status).toBe('cached');
  });
});
