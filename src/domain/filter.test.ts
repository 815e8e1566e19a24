import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { parseFilter, parseSort } from './filter.js';

const fields = {
  name: { type: 'string' },
  number: { type: 'number' },
  createdAt: { type: 'date' },
  tag: { type: 'tag' },
  stage: { type: 'enum', values: ['none', 'staging', 'production', 'archived'] },
} as const;

describe('parseFilter', () => {
  it('parses clauses joined by and, with quoted values', () => {
    expect(parseFilter('name~iris and tag=prod', fields)).toEqual([
      { field: 'name', op: '~', value: 'iris' },
      { field: 'tag', op: '=', value: 'prod' },
    ]);
    expect(parseFilter('name = "iris classifier" && number >= 10', fields)).toEqual([
      { field: 'name', op: '=', value: 'iris classifier' },
      { field: 'number', op: '>=', value: 10 },
    ]);
    expect(parseFilter("stage==Production, name!='a \\' b'", fields)).toEqual([
      { field: 'stage', op: '=', value: 'production' },
      { field: 'name', op: '!=', value: "a ' b" },
    ]);
    const [clause] = parseFilter('createdAt>2026-01-01', fields);
    expect(clause!.value).toEqual(new Date('2026-01-01'));
    expect(parseFilter(undefined, fields)).toEqual([]);
    expect(parseFilter('   ', fields)).toEqual([]);
  });

  it('explains mistakes', () => {
    const cases: Array<[string, RegExp]> = [
      ['colour=red', /Unknown filter field "colour": use one of name, number/],
      ['number>ten', /needs a number/],
      ['createdAt>soon', /needs a date/],
      ['stage=prod', /must be one of/],
      ['stage>production', /operator ">" does not apply/],
      ['name', /incomplete/],
      ['name=a and', /ends with "and"/],
      ['name=a number=1', /Join filter clauses with "and"/],
    ];
    for (const [text, message] of cases) expect(() => parseFilter(text, fields), text).toThrow(message);
    expect(() => parseFilter('colour=red', fields)).toThrow(ValidationError);
  });
});

describe('parseSort', () => {
  it('reads field, -field, asc:field and desc:field', () => {
    const fallback = { field: 'name', direction: 'asc' } as const;
    expect(parseSort(undefined, ['name', 'number'], fallback)).toEqual(fallback);
    expect(parseSort('-number', ['name', 'number'], fallback)).toEqual({ field: 'number', direction: 'desc' });
    expect(parseSort('desc:name', ['name', 'number'], fallback)).toEqual({ field: 'name', direction: 'desc' });
    expect(parseSort('number', ['name', 'number'], fallback)).toEqual({ field: 'number', direction: 'asc' });
    expect(() => parseSort('size', ['name'], fallback)).toThrow(/Cannot sort by "size"/);
  });
});
