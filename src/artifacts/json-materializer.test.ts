import { describe, expect, it } from 'vitest';
import { findJsonProblem, jsonMaterializer } from './json-materializer.js';
import { roundTrip } from './test-support/temp-store.js';

describe('jsonMaterializer', () => {
  it('round-trips nested JSON', async () => {
    const value = { a: 1, b: [true, null, 'x', { c: -2.5, d: [] }], e: {}, 'odd key': 'é🙂' };
    const { loaded, written } = await roundTrip(value);
    expect(written).toMatchObject({ materializer: 'json', dataType: 'json' });
    expect(loaded).toEqual(value);
  });

  it('round-trips scalars', async () => {
    for (const value of ['text', 0, 3.25, false, null]) {
      const { loaded, written } = await roundTrip(value);
      expect(written.materializer).toBe('json');
      expect(loaded).toEqual(value);
    }
  });

  it('accepts plain objects only, without cycles or non-JSON leaves', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(findJsonProblem(cyclic)).toMatch(/\$\.self.*cycle/);
    expect(findJsonProblem({ a: [1, undefined] })).toMatch(/\$\.a\[1\]/);
    expect(findJsonProblem({ a: NaN })).toMatch(/NaN/);
    expect(findJsonProblem({ a: Infinity })).toMatch(/Infinity/);
    expect(findJsonProblem({ a: 1n })).toMatch(/bigint/);
    expect(findJsonProblem({ a: () => 1 })).toMatch(/function/);
    expect(findJsonProblem({ a: Symbol('s') })).toMatch(/symbol/);
    expect(findJsonProblem({ [Symbol('k')]: 1 })).toMatch(/symbol keys/);
    expect(findJsonProblem({ when: new Date() })).toMatch(/Date/);
    expect(findJsonProblem(new Map())).toMatch(/Map/);
    expect(findJsonProblem([1, , 3])).toMatch(/hole/);
    expect(jsonMaterializer.canHandle(Object.create(null))).toBe(true);
    const shared = { x: 1 };
    expect(findJsonProblem({ a: shared, b: shared })).toBeUndefined();
  });
});
