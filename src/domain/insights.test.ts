import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { parseMetadataPathSegments, parseMetadataSort } from './insights.js';

describe('parseMetadataSort', () => {
  it('reads metadata sorts in every direction syntax and ignores other fields', () => {
    expect(parseMetadataSort('-metadata.evaluation_metrics.accuracy')).toEqual({ field: 'metadata', segments: ['evaluation_metrics', 'accuracy'], direction: 'desc' });
    expect(parseMetadataSort('metadata.acc')).toEqual({ field: 'metadata', segments: ['acc'], direction: 'asc' });
    expect(parseMetadataSort('+metadata.acc')?.direction).toBe('asc');
    expect(parseMetadataSort('desc:metadata.acc')?.direction).toBe('desc');
    expect(parseMetadataSort('asc:metadata.a.b')?.segments).toEqual(['a', 'b']);
    for (const other of [undefined, '', 'number', '-createdAt', 'metadata', 'metadataX.a']) expect(parseMetadataSort(other)).toBeNull();
  });

  it('refuses empty segments and quotes in nested segments', () => {
    expect(() => parseMetadataSort('metadata.')).toThrow(ValidationError);
    expect(() => parseMetadataPathSegments('a..b')).toThrow(/empty segment/);
    expect(() => parseMetadataPathSegments('a."b"')).toThrow(ValidationError);
    expect(parseMetadataPathSegments('we"ird.key')).toEqual(['we"ird', 'key']);
    expect(() => parseMetadataPathSegments('a.b\u0000c')).toThrow(/NUL/);
    expect(() => parseMetadataPathSegments('\u0000')).toThrow(ValidationError);
    expect(() => parseMetadataPathSegments(Array(33).fill('a').join('.'))).toThrow(/at most 32 segments/);
    expect(parseMetadataPathSegments(Array(32).fill('a').join('.'))).toHaveLength(32);
  });
});
