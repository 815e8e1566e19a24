/**
 * Issue 3, point 2: the graph is validated before anything runs. Each mistake is a ValidationError with a
 * clear message, and the store stays untouched: no run, no step run, no model, no version.
 */
import { describe, expect, it } from 'vitest';
import { Model, ModelStages, StepOutput, type ArtifactRef, ValidationError, getPipelineContext, getStepContext, pipeline, step } from '../../src/index.js';
import { useFreshStore } from './helpers.js';

const store = useFreshStore();

const produce = step({ name: 'produce', output: 'produced' }, async (n: number) => n + 1);
const consume = step({ name: 'consume', output: 'consumed' }, async (n: number) => n * 10);
const takesAnything = step({ name: 'takes_anything' }, async (value: unknown) => JSON.stringify(value));

/** Asserts that nothing was recorded: no run, no model (so no version), no artifact. */
async function expectNothingRecorded(): Promise<void> {
  const client = store.client;
  expect((await client.listPipelineRuns()).total).toBe(0);
  expect((await client.listModels()).total).toBe(0);
  expect((await client.listArtifactVersions()).total).toBe(0);
}

/** Runs `run` and returns the ValidationError it rejects with. */
async function validationError(run: () => Promise<unknown>): Promise<ValidationError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('graph validation before anything runs', () => {
  it('rejects a handle from another pipeline composition', async () => {
    let leaked: StepOutput<number> | undefined;
    const first = pipeline({ name: 'first', model: new Model({ name: 'val_model' }) }, () => {
      leaked = produce(1);
    });
    // Composing is enough to get a handle; run `first` once so the handle is real.
    await first();
    const before = await store.client.listPipelineRuns();
    expect(before.total).toBe(1);
    const second = pipeline({ name: 'second', model: new Model({ name: 'val_model' }) }, () => {
      consume(leaked!);
    });
    const error = await validationError(() => second());
    expect(error.message).toMatch(/another pipeline composition/);
    expect(error.message).toContain('StepOutput(produce.output)');
    expect(error.message).toContain('step "consume"');
    // Still only the first pipeline's run and its one version.
    expect((await store.client.listPipelineRuns()).total).toBe(1);
    expect((await store.client.listPipelineRuns({ pipeline: 'second' })).total).toBe(0);
    expect((await store.client.listModelVersions({ model: 'val_model' })).total).toBe(1);
  });

  it('rejects a handle kept from an earlier composition of the same pipeline', async () => {
    let kept: StepOutput<number> | undefined;
    const p = pipeline({ name: 'reuse_handle', model: new Model({ name: 'val_model' }) }, () => {
      if (kept) consume(kept);
      else kept = produce(1);
    });
    await p();
    const error = await validationError(() => p());
    expect(error.message).toMatch(/another pipeline composition/);
    expect((await store.client.listPipelineRuns()).total).toBe(1);
    expect((await store.client.listModelVersions({ model: 'val_model' })).total).toBe(1);
  });

  it.each([
    ['a Map', () => ({ lookup: new Map([['a', 1]]) }), /parameters\.lookup is a Map/],
    ['a function', () => ({ transform: (x: number) => x }), /parameters\.transform is a function/],
    ['a class instance', () => ({ config: new (class TrainingConfig { trees = 10 })() }), /parameters\.config is a TrainingConfig/],
    ['a Date', () => ({ since: new Date(0) }), /parameters\.since is a Date/],
    ['NaN deep inside', () => ({ nested: { list: [1, Number.NaN] } }), /parameters\.nested\.list\[1\] is NaN/],
    ['a Map as the parameters', () => new Map(), /parameters is a Map/],
  ])('rejects %s as a pipeline parameter', async (_label, makeParams, message) => {
    const p = pipeline<unknown>({ name: 'params', model: new Model({ name: 'val_model' }) }, () => {
      produce(1);
    });
    const error = await validationError(() => p(makeParams()));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/must be JSON values/);
    await expectNothingRecorded();
  });

  it('accepts optional parameters left undefined (dropped from the record, as JSON drops them)', async () => {
    const p = pipeline({ name: 'optional_params', client: store.client }, (params: { n: number; lr?: number }) => {
      produce(params.n);
    });
    const run = await p({ n: 1, lr: undefined });
    expect(run.status).toBe('completed');
    expect(run.parameters).toEqual({ n: 1 });
    // Inside arrays undefined is not JSON.
    const q = pipeline<unknown>({ name: 'array_params', client: store.client }, () => {
      produce(1);
    });
    expect((await validationError(() => q({ list: [1, undefined] }))).message).toMatch(/parameters\.list\[1\] is undefined/);
  });

  it('rejects parameters that are not one object', async () => {
    const p = pipeline<unknown>({ name: 'params', model: new Model({ name: 'val_model' }) }, () => {
      produce(1);
    });
    const error = await validationError(() => p([1, 2]));
    expect(error.message).toMatch(/takes its parameters as one object/);
    await expectNothingRecorded();
  });

  it.each([
    ['a Map', () => new Map([['a', 1]]), /argument 1 \(value\) of step "takes_anything" is a Map/],
    ['a function', () => () => 1, /argument 1 \(value\) of step "takes_anything" is a function/],
    ['a class instance', () => new (class Scaler {})(), /argument 1 \(value\) of step "takes_anything" is a Scaler/],
    ['a Model', () => new Model({ name: 'val_model' }), /is a Model; pass an artifact of it instead/],
  ])('rejects %s as a literal step argument', async (_label, makeValue, message) => {
    const p = pipeline({ name: 'literal_args', model: new Model({ name: 'val_model' }) }, () => {
      takesAnything(makeValue());
    });
    const error = await validationError(() => p());
    expect(error.message).toMatch(message);
    await expectNothingRecorded();
  });

  it('rejects an async body (and one that awaits before calling steps)', async () => {
    const eager = pipeline({ name: 'async_body', model: new Model({ name: 'val_model' }) }, async () => {
      produce(1);
    });
    const error = await validationError(() => eager());
    expect(error.message).toMatch(/returned a Promise: a pipeline body only composes steps and must not be async/);
    expect(error.message).toContain('"async_body"');

    const awaiting = pipeline({ name: 'awaiting_body', model: new Model({ name: 'val_model' }) }, async () => {
      await Promise.resolve();
      produce(1);
    });
    expect((await validationError(() => awaiting())).message).toMatch(/returned a Promise/);
    await expectNothingRecorded();
  });

  it('rejects calling a step outside a pipeline body, and it records nothing', async () => {
    expect(() => produce(1)).toThrow(ValidationError);
    expect(() => produce(1)).toThrow(/Step "produce" was called outside a pipeline body/);
    expect(() => produce(1)).toThrow(/produce\.entrypoint/);
    // The plain function stays callable for unit tests.
    expect(await produce.entrypoint(1)).toBe(2);
    // getPipelineContext and getStepContext only work where they make sense.
    expect(() => getPipelineContext()).toThrow(ValidationError);
    expect(() => getStepContext()).toThrow(ValidationError);
    await expectNothingRecorded();
  });

  it('fails a step that calls another step while running (and records that failure)', async () => {
    const nested = step({ name: 'nested' }, async () => {
      produce(1);
    });
    const p = pipeline({ name: 'nested_call', client: store.client }, () => {
      nested();
    });
    const run = await p();
    expect(run.status).toBe('failed');
    expect(run.step('nested').error).toMatch(/ValidationError: Step "produce" was called outside a pipeline body/);
  });

  it('rejects calling a pipeline inside another pipeline body: the outer run is refused, nothing is left unhandled', async () => {
    const inner = pipeline({ name: 'inner', model: new Model({ name: 'val_model' }) }, () => {
      produce(1);
    });
    const outer = pipeline({ name: 'outer', model: new Model({ name: 'val_model' }) }, () => {
      consume(produce(2));
      void inner();
    });
    const error = await validationError(() => outer());
    expect(error.message).toMatch(/Pipeline "inner" was called inside the body of pipeline "outer"/);
    await expectNothingRecorded();
  });

  it('rejects a pipeline with no steps', async () => {
    const empty = pipeline({ name: 'empty', model: new Model({ name: 'val_model' }) }, () => undefined);
    const error = await validationError(() => empty());
    expect(error.message).toBe('Pipeline "empty" has no steps: call at least one step in its body.');
    await expectNothingRecorded();
  });

  it('makes lazy refs handed out by a refused composition reject instead of waiting forever', async () => {
    let ref: ArtifactRef | undefined;
    const p = pipeline({ name: 'refused', model: new Model({ name: 'val_model' }) }, () => {
      ref = getPipelineContext().model!.getModelArtifact('trained_model');
    });
    await validationError(() => p());
    const outcome = await Promise.race([
      ref!.load().then(
        () => 'loaded',
        (e: unknown) => (e instanceof ValidationError ? e.message : String(e)),
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 2_000)),
    ]);
    expect(outcome).toBe('Pipeline "refused" has no steps: call at least one step in its body.');
    await expectNothingRecorded();
  });

  it('lets an error thrown by the body through, recording nothing', async () => {
    const broken = pipeline({ name: 'broken', model: new Model({ name: 'val_model' }) }, () => {
      produce(1);
      throw new RangeError('bad composition');
    });
    await expect(broken()).rejects.toThrow(RangeError);
    await expectNothingRecorded();
    // The failed composition left no state behind: the next pipeline composes and runs normally.
    const fine = pipeline({ name: 'fine', client: store.client }, () => {
      consume(produce(1));
    });
    expect((await fine()).status).toBe('completed');
  });

  it('rejects an unknown version template placeholder before anything is created', async () => {
    const p = pipeline({ name: 'bad_template', model: new Model({ name: 'val_model', version: 'v-{nope}' }) }, () => {
      produce(1);
    });
    const error = await validationError(() => p());
    expect(error.message).toMatch(/nope/);
    await expectNothingRecorded();
  });

  it('rejects bad declarations when they are made', () => {
    expect(() => pipeline({ name: 'bad/name' }, () => undefined)).toThrow(ValidationError);
    expect(() => pipeline({ name: 'no_model', model: { name: 'x' } as unknown as Model }, () => undefined)).toThrow(/"model" must be a Model/);
    expect(() => step({ name: 'bad_retries', retries: -1 }, async () => 1)).toThrow(/retries must be a whole number/);
    expect(() => step({ name: 'both', output: 'a', outputs: { b: 'b' } } as never, async () => ({ b: 1 }))).toThrow(/either "output" or "outputs"/);
    expect(() => new Model({ name: 'm', version: ModelStages.NONE })).toThrow(ValidationError);
  });
});
