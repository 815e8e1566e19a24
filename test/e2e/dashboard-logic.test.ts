/**
 * The dashboard's pure logic, without a browser: the layered graph layout, the server-sent events
 * parser, which stage buttons each role gets, and the formatting of metadata values.
 */
import { describe, expect, test } from 'vitest';
import { allowedTargets } from '../../dashboard/src/auth/permissions.js';
import { flatten, formatDelta, formatDuration, metadataAt } from '../../dashboard/src/format.js';
import { layeredLayout } from '../../dashboard/src/graphs/layered-layout.js';
import { parseEvents } from '../../dashboard/src/live/parse-events.js';

describe('layeredLayout', () => {
  test('puts each node one layer right of its furthest predecessor', () => {
    const placed = layeredLayout(['data', 'train', 'model', 'eval', 'report'], [
      ['data', 'train'],
      ['train', 'model'],
      ['model', 'eval'],
      ['data', 'eval'],
      ['eval', 'report'],
    ]);
    expect(Object.fromEntries([...placed].map(([id, p]) => [id, p.layer]))).toEqual({ data: 0, train: 1, model: 2, eval: 3, report: 4 });
    expect(placed.get('train')!.x).toBeGreaterThan(placed.get('data')!.x);
  });

  test('places every node once even with a cycle or unknown edge ends', () => {
    const placed = layeredLayout(['a', 'b', 'c'], [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'b'],
      ['x', 'a'],
    ]);
    expect([...placed.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(placed.get('a')!.layer).toBe(0);
  });

  test('nodes of one layer get distinct heights, ordered near their predecessors', () => {
    const placed = layeredLayout(['r1', 'r2', 's2', 's1'], [
      ['r1', 's1'],
      ['r2', 's2'],
    ]);
    expect(placed.get('s1')!.y).toBeLessThan(placed.get('s2')!.y);
    expect(new Set([...placed.values()].filter((p) => p.layer === 1).map((p) => p.y)).size).toBe(2);
  });
});

describe('parseEvents', () => {
  test('parses complete events, skips comments, keeps the unfinished rest', () => {
    const { events, rest } = parseEvents(': ping\n\nevent: stage_change\ndata: {"modelName":"m","n":1}\n\nevent: version_created\ndata: {"num');
    expect(events).toEqual([{ event: 'stage_change', data: { modelName: 'm', n: 1 } }]);
    expect(rest).toBe('event: version_created\ndata: {"num');
    const next = parseEvents(`${rest}ber":2}\n\n`);
    expect(next.events).toEqual([{ event: 'version_created', data: { number: 2 } }]);
  });

  test('joins multi-line data, accepts CRLF, keeps non-JSON text', () => {
    const { events } = parseEvents('data: hello\r\ndata: world\r\n\r\n');
    expect(events).toEqual([{ event: 'message', data: 'hello\nworld' }]);
  });
});

describe('allowedTargets (the stage buttons a role sees)', () => {
  test('viewer: none', () => {
    for (const stage of ['none', 'staging', 'production', 'archived'] as const) expect(allowedTargets('viewer', stage)).toEqual([]);
  });
  test('editor: staging, none and archived, nothing into or out of production', () => {
    expect(allowedTargets('editor', 'none').sort()).toEqual(['archived', 'staging']);
    expect(allowedTargets('editor', 'staging').sort()).toEqual(['archived', 'none']);
    expect(allowedTargets('editor', 'archived').sort()).toEqual(['none', 'staging']);
    expect(allowedTargets('editor', 'production')).toEqual([]);
  });
  test('admin: every other stage', () => {
    expect(allowedTargets('admin', 'production').sort()).toEqual(['archived', 'none', 'staging']);
    expect(allowedTargets('admin', 'none').sort()).toEqual(['archived', 'production', 'staging']);
  });
});

describe('metadata formatting', () => {
  const runMetadata = { evaluation_metrics: { value: { accuracy: 0.97, per_class: { setosa: 1 } } }, trees: { value: 50 } };
  test('metadataAt follows dotted paths into nested values', () => {
    expect(metadataAt(runMetadata, 'evaluation_metrics.accuracy')).toBe(0.97);
    expect(metadataAt(runMetadata, 'evaluation_metrics.per_class.setosa')).toBe(1);
    expect(metadataAt(runMetadata, 'trees')).toBe(50);
    expect(metadataAt(runMetadata, 'trees.x')).toBeUndefined();
    expect(metadataAt(runMetadata, 'missing')).toBeUndefined();
  });
  test('flatten gives dotted leaf paths; arrays and empty objects are leaves', () => {
    expect(flatten({ a: { b: 1, c: { d: [1, 2] } }, e: {}, f: null })).toEqual({ 'a.b': 1, 'a.c.d': [1, 2], e: {}, f: null });
  });
  test('deltas and durations read well', () => {
    expect(formatDelta(0.31111111)).toBe('+0.311111');
    expect(formatDelta(-2)).toBe('−2');
    expect(formatDelta(0)).toBe('±0');
    expect(formatDuration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.045Z')).toBe('45 ms');
    expect(formatDuration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.500Z')).toBe('1.50 s');
    expect(formatDuration('2026-01-01T00:00:00.000Z', null)).toBe('—');
  });
});
