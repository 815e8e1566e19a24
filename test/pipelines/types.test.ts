/**
 * Issue 3, point 1: types carry through the pipeline DSL. The `// @ts-expect-error` lines are checked by
 * `npm run typecheck` (tsconfig.json includes test/): if one of them stops being an error, tsc fails
 * with "Unused '@ts-expect-error' directive". The runtime tests run the same shapes for real.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ArtifactConfig, ArtifactRef, Model, StepOutput, pipeline, step, type Pipeline, type PipelineRunResult } from '../../src/index.js';
import { useFreshStore } from './helpers.js';

const store = useFreshStore();

interface Row {
  x: number;
  y: number;
}

const makeRows = step({ name: 'make_rows', output: 'rows' }, async (n: number): Promise<Row[]> => Array.from({ length: n }, (_, i) => ({ x: i, y: 2 * i })));
const describeRows = step({ name: 'describe_rows', output: 'summary' }, async (rows: Row[], label: string) => `${label}: ${rows.length} rows`);
const countChars = step({ name: 'count_chars', output: 'chars' }, (text: string) => text.length);
const double = step({ name: 'double', output: 'doubled' }, async (n: number) => n * 2);
const split = step(
  { name: 'split', outputs: { train: ArtifactConfig({ name: 'train_rows' }), test: 'test_rows', size: 'split_size' } },
  async (rows: Row[], ratio: number) => {
    const cut = Math.round(rows.length * ratio);
    return { train: rows.slice(0, cut), test: rows.slice(cut), size: cut };
  },
);

describe('step and pipeline types', () => {
  it('a step call returns StepOutput<T> of the awaited return type; multi-output steps return a record of them', () => {
    expectTypeOf(makeRows.entrypoint).returns.toEqualTypeOf<Promise<Row[]>>();
    expectTypeOf(countChars.entrypoint).returns.toEqualTypeOf<Promise<number>>();
    // Composed but never run: only the types are checked here.
    pipeline({ name: 'types_only' }, () => {
      const rows = makeRows(10);
      expectTypeOf(rows).toEqualTypeOf<StepOutput<Row[]>>();
      const parts = split(rows, 0.8);
      expectTypeOf(parts).toEqualTypeOf<{ train: StepOutput<Row[]>; test: StepOutput<Row[]>; size: StepOutput<number> }>();
      expectTypeOf(describeRows(parts.train, 'train')).toEqualTypeOf<StepOutput<string>>();
      expectTypeOf(countChars(describeRows(rows, 'all'))).toEqualTypeOf<StepOutput<number>>();
      expectTypeOf(double(parts.size)).toEqualTypeOf<StepOutput<number>>();
      // Lazy refs are accepted where a value is expected: typed ones of the same type, or untyped ones.
      const model = new Model({ name: 'typed' });
      double(model.getModelArtifact<number>('n'));
      double(model.getModelArtifact('anything'));
      expectTypeOf(model.getModelArtifact<Row[]>('rows')).toEqualTypeOf<ArtifactRef<Row[]>>();
    });
  });

  it('wiring mistakes are compile errors', () => {
    pipeline({ name: 'wrong_wiring' }, () => {
      const text = describeRows(makeRows(3), 'three');
      // @ts-expect-error a StepOutput<string> where the step expects a number
      double(text);
      // @ts-expect-error a literal of the wrong type
      double('two');
      // @ts-expect-error a StepOutput<number> where the step expects Row[]
      describeRows(double(2), 'label');
      // @ts-expect-error one output of a multi-output step has its own type (size is a number)
      describeRows(split(makeRows(3), 0.5).size, 'label');
      // @ts-expect-error too few arguments
      describeRows(makeRows(3));
      // @ts-expect-error multi-output steps have no output other than the declared ones
      void split(makeRows(3), 0.5).validation;
    });
    // @ts-expect-error "outputs" must name exactly the keys the function returns
    step({ name: 'bad_outputs', outputs: { a: 'a', c: 'c' } }, async () => ({ a: 1, b: 2 }));
    expect(true).toBe(true);
  });

  it('pipelines take typed parameters', () => {
    const training = pipeline({ name: 'typed_params' }, (p: { n: number; label: string }) => {
      describeRows(makeRows(p.n), p.label);
    });
    expectTypeOf(training).toEqualTypeOf<Pipeline<{ n: number; label: string }>>();
    expectTypeOf(training).parameter(0).toEqualTypeOf<{ n: number; label: string }>();
    expectTypeOf(training).returns.toEqualTypeOf<Promise<PipelineRunResult>>();
    const noParams = pipeline({ name: 'no_params' }, () => {
      double(1);
    });
    // Never called: only the types are checked.
    const typeOnly = () => {
      void noParams();
      // @ts-expect-error a parameter of the wrong type
      void training({ n: 'ten', label: 'x' });
      // @ts-expect-error a missing parameter
      void training({ n: 10 });
      // @ts-expect-error the parameters are required
      void training();
    };
    expect(typeof typeOnly).toBe('function');
  });

  it('typed parameters and outputs flow through a real run', async () => {
    const training = pipeline({ name: 'typed_run', client: store.client }, (p: { n: number; label: string; ratio: number }) => {
      const rows = makeRows(p.n);
      const parts = split(rows, p.ratio);
      countChars(describeRows(parts.train, p.label));
      double(parts.size);
    });
    const run = await training({ n: 10, label: 'train', ratio: 0.8 });
    expect(run.status).toBe('completed');
    expect(run.parameters).toEqual({ n: 10, label: 'train', ratio: 0.8 });
    expect(await store.client.loadArtifact('summary')).toBe('train: 8 rows');
    expect(await store.client.loadArtifact('chars')).toBe('train: 8 rows'.length);
    expect(await store.client.loadArtifact('doubled')).toBe(16);
    expect(await store.client.loadArtifact('test_rows')).toEqual([
      { x: 8, y: 16 },
      { x: 9, y: 18 },
    ]);
  });
});
