import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { hasPlaceholders, renderVersionTemplate } from './version-template.js';

const now = new Date('2026-03-07T04:05:06.789Z');
const run = { id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', name: 'training-run-7' };

describe('renderVersionTemplate', () => {
  it('renders date, time, run, pipeline and custom placeholders', () => {
    const ctx = { now, run, pipeline: { name: 'training' }, substitutions: { team: 'vision', n: 3 } };
    expect(renderVersionTemplate('{date}', ctx)).toBe('2026_03_07');
    expect(renderVersionTemplate('{time}', ctx)).toBe('04_05_06_789000');
    expect(renderVersionTemplate('run-{run.id}', ctx)).toBe(`run-${run.id}`);
    expect(renderVersionTemplate('{pipeline.name}/{run.name}', ctx)).toBe('training/training-run-7');
    expect(renderVersionTemplate('{team}-{n}', ctx)).toBe('vision-3');
  });

  it('applies Python-style slices', () => {
    const ctx = { now, run };
    expect(renderVersionTemplate('run-{run.id[:8]}', ctx)).toBe('run-0f1e2d3c');
    expect(renderVersionTemplate('{run.id[-4:]}', ctx)).toBe('e1f0');
    expect(renderVersionTemplate('{run.id[2:4]}', ctx)).toBe('1e');
    expect(renderVersionTemplate('{run.id[0]}', ctx)).toBe('0');
    expect(renderVersionTemplate('{run.name[5:]}', ctx)).toBe('ing-run-7');
    expect(() => renderVersionTemplate('{run.id[a:b]}', ctx)).toThrow(/slice/);
  });

  it('rejects unknown placeholders and run placeholders outside a run', () => {
    expect(() => renderVersionTemplate('{colour}', { now })).toThrow(ValidationError);
    expect(() => renderVersionTemplate('{colour}', { now })).toThrow(/Unknown placeholder "\{colour\}".*\{date\}/);
    expect(() => renderVersionTemplate('{run.id[:8]}', { now })).toThrow(/needs a pipeline run/);
    expect(() => renderVersionTemplate('{}', { now })).toThrow(ValidationError);
  });

  it('detects placeholders', () => {
    expect(hasPlaceholders('v-{date}')).toBe(true);
    expect(hasPlaceholders('1.0.5')).toBe(false);
  });
});
