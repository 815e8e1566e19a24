import { describe, expect, it } from 'vitest';
import { decodeMetadataValue, encodeMetadata, encodeMetadataValue } from './metadata-value.js';

describe('metadata values', () => {
  it('types values and round-trips them', () => {
    const cases: Array<[unknown, string]> = [
      ['s', 'string'],
      [3, 'int'],
      [0.5, 'float'],
      [true, 'boolean'],
      [null, 'null'],
      [[1, 2], 'list'],
      [{ a: { b: [1] } }, 'dict'],
      [new Date('2026-01-01T00:00:00Z'), 'datetime'],
    ];
    for (const [value, type] of cases) {
      const encoded = encodeMetadataValue('k', value);
      expect(encoded.type).toBe(type);
      expect(decodeMetadataValue(encoded.json, encoded.type)).toEqual(value);
    }
  });

  it('names the offending path and the limit', () => {
    expect(() => encodeMetadataValue('m', { a: [1, { f: () => 0 }] })).toThrow(/"m\.a\[1\]\.f" is a function/);
    expect(() => encodeMetadataValue('m', { s: new Set([1]) })).toThrow(/Set.*\[\.\.\.set\]/);
    expect(() => encodeMetadataValue('m', 'é'.repeat(600_000))).toThrow(/1\.14 MB.*limit is 1 MB/);
    expect(encodeMetadataValue('m', 'a'.repeat(1_000_000)).type).toBe('string');
    expect(() => encodeMetadataValue('', 1)).toThrow(/key must not be empty/);
    expect(() => encodeMetadata([1])).toThrow(/object of key/);
  });

  it('allows shared (non-cyclic) references', () => {
    const shared = { x: 1 };
    expect(encodeMetadataValue('m', { a: shared, b: shared }).json).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});
