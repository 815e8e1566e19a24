import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardRelativePath, defaultDashboardDir } from './dashboard-static.js';

describe('dashboard folder and paths', () => {
  it('finds <repo>/dist/dashboard from the source tree', () => {
    const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    expect(defaultDashboardDir()).toBe(path.join(repo, 'dist', 'dashboard'));
  });

  it('maps URL paths to relative file paths and refuses anything that could leave the folder', () => {
    expect(dashboardRelativePath('/')).toBe('');
    expect(dashboardRelativePath('/assets/index-abc.js')).toBe('assets/index-abc.js');
    expect(dashboardRelativePath('/models/iris%20v2')).toBe('models/iris v2');
    for (const bad of ['/..', '/a/../b', '/%2e%2e/x', '/..%2fx', '/a%2fb', '/a%5cb', '/%00', '/%zz', '/./x']) {
      expect(dashboardRelativePath(bad), bad).toBeNull();
    }
  });
});
