import { describe, expect, it } from 'vitest';
import { validateModelName, validateTags, validateVersionName } from './names.js';

describe('names', () => {
  it('accepts ordinary names, including unicode', () => {
    expect(validateModelName('iris_classifier-2 (v1)')).toBe('iris_classifier-2 (v1)');
    expect(validateModelName('modèle-日本')).toBe('modèle-日本');
    expect(validateVersionName('1.0.5')).toBe('1.0.5');
    expect(validateVersionName('v42')).toBe('v42');
  });

  it('rejects control characters, separators, blanks and over-long names with a reason', () => {
    expect(() => validateModelName('a\u0000b')).toThrow(/U\+0000/);
    expect(() => validateModelName('a\u009fb')).toThrow(/control character/);
    expect(() => validateModelName('a\u2028b')).toThrow(/control character/);
    expect(() => validateModelName('a/b')).toThrow(/"\/"/);
    expect(() => validateModelName(' padded')).toThrow(/leading or trailing/);
    expect(() => validateModelName('y'.repeat(300))).toThrow(/300 characters long; the limit is 255/);
    expect(() => validateVersionName('007')).toThrow(/all digits.*"v007"/);
    expect(() => validateVersionName('LATEST')).toThrow(/stage name/);
  });

  it('deduplicates tags, keeping order', () => {
    expect(validateTags(['b', 'a', 'b'])).toEqual(['b', 'a']);
    expect(validateTags(undefined)).toEqual([]);
    expect(() => validateTags('a')).toThrow(/list of strings/);
  });
});
