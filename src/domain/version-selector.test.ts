import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { parseVersionSelector } from './version-selector.js';

describe('parseVersionSelector', () => {
  it('maps each form of selector', () => {
    expect(parseVersionSelector(undefined)).toEqual({ kind: 'new' });
    expect(parseVersionSelector(3)).toEqual({ kind: 'number', number: 3 });
    expect(parseVersionSelector('12')).toEqual({ kind: 'number', number: 12 });
    expect(parseVersionSelector('latest')).toEqual({ kind: 'latest' });
    expect(parseVersionSelector('production')).toEqual({ kind: 'stage', stage: 'production' });
    expect(parseVersionSelector('Staging')).toEqual({ kind: 'stage', stage: 'staging' });
    expect(parseVersionSelector('archived')).toEqual({ kind: 'stage', stage: 'archived' });
    expect(parseVersionSelector('1.0.5')).toEqual({ kind: 'name', name: '1.0.5' });
    expect(parseVersionSelector('run-{run.id[:8]}')).toEqual({ kind: 'template', template: 'run-{run.id[:8]}' });
    expect(parseVersionSelector('0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0')).toEqual({ kind: 'id', id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' });
  });

  it('rejects nonsense', () => {
    for (const bad of [0, -1, 1.5, '0', '', 'none', true, {}]) {
      expect(() => parseVersionSelector(bad), String(bad)).toThrow(ValidationError);
    }
  });
});
