import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Child processes, not worker threads: suites start servers and native modules (better-sqlite3).
    pool: 'forks',
    testTimeout: 60_000,
    // Starting PostgreSQL / Redis / s3rver in beforeAll takes seconds on a loaded 2-core machine.
    hookTimeout: 120_000,
    // The summary reporter must come last: its `N passed, N failed, N skipped` is the run's final line.
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
