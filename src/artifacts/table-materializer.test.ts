import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tableMaterializer } from './table-materializer.js';
import { roundTrip } from './test-support/temp-store.js';

describe('tableMaterializer', () => {
  it('round-trips a one-row records array', async () => {
    const value = [{ id: 1, name: 'a', ok: true }];
    const { loaded, written } = await roundTrip(value);
    expect(written).toMatchObject({ materializer: 'table', dataType: 'records' });
    expect(loaded).toStrictEqual(value);
  });

  it('round-trips 100k rows exactly, with nulls and column order', async () => {
    const value = Array.from({ length: 100_000 }, (_, i) => ({
      z: i,
      score: i % 7 === 0 ? null : i / 3,
      label: i % 11 === 0 ? null : `row-${i}`,
      flag: i % 13 === 0 ? null : i % 2 === 0,
      small: i % 5 === 0 ? null : i - 50_000,
      nothing: null,
      neg0: i === 0 ? -0 : 1.5,
    }));
    const { loaded } = await roundTrip(value);
    const rows = loaded as typeof value;
    expect(rows).toHaveLength(100_000);
    expect(rows).toStrictEqual(value);
    expect(Object.keys(rows[0]!)).toEqual(['z', 'score', 'label', 'flag', 'small', 'nothing', 'neg0']);
    expect(Object.is(rows[0]!.neg0, -0)).toBe(true);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
  });

  it('round-trips an Arrow table as an Arrow table', async () => {
    const A = await import('apache-arrow');
    const table = A.tableFromArrays({ x: new Float32Array([1, 2, 3]), s: ['a', 'b', 'c'] });
    expect(tableMaterializer.canHandle(table)).toBe(true);
    const { loaded, written } = await roundTrip(table);
    expect(written).toMatchObject({ materializer: 'table', dataType: 'arrow.Table' });
    expect(A.isArrowTable(loaded)).toBe(true);
    const back = loaded as typeof table;
    expect(back.numRows).toBe(3);
    const describeSchema = (t: typeof table): string[] => t.schema.fields.map((f) => `${f.name}:${String(f.type)}`);
    expect(describeSchema(back)).toEqual(describeSchema(table));
    expect(back.toArray().map((r) => r.toJSON())).toEqual([
      { x: 1, s: 'a' },
      { x: 2, s: 'b' },
      { x: 3, s: 'c' },
    ]);
  });

  it('leaves arrays that would not round-trip exactly to JSON', () => {
    expect(tableMaterializer.canHandle([])).toBe(false);
    expect(tableMaterializer.canHandle([{}])).toBe(false);
    expect(tableMaterializer.canHandle([{ a: 1 }, { b: 1 }])).toBe(false);
    expect(tableMaterializer.canHandle([{ a: 1, b: 2 }, { b: 2, a: 1 }])).toBe(false);
    expect(tableMaterializer.canHandle([{ a: 1 }, { a: 'x' }])).toBe(false);
    expect(tableMaterializer.canHandle([{ a: undefined }])).toBe(false);
    expect(tableMaterializer.canHandle([{ a: [1] }])).toBe(false);
    expect(tableMaterializer.canHandle([{ a: 1 }, 2])).toBe(false);
    expect(tableMaterializer.canHandle([{ a: null }, { a: 2 }])).toBe(true);
  });

  it('loads Arrow only lazily: no module of src/artifacts imports it at the top level', async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const sources = (await fs.readdir(here)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    for (const file of sources) {
      const text = await fs.readFile(path.join(here, file), 'utf8');
      const eager = text.split('\n').filter((line) => /^\s*(import|export)\b(?!\s+type\b).*['"]apache-arrow['"]/.test(line));
      expect(eager, file).toEqual([]);
    }
  });
});
