/**
 * Prints one machine-readable line as the very last line of a Vitest run:
 *
 *   `N passed, N failed, N skipped`
 *
 * counting test cases (todo counts as skipped). So that a run can never look green while something
 * broke, the failed count also includes, one each: a test file that failed outside its tests (import
 * or syntax error, a failing beforeAll/afterAll hook), an unhandled error, a test that never finished
 * (still pending when the run ended), and an interrupted run.
 * Registered in vitest.config.ts after the default reporter.
 */
import { readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Reporter, SerializedError, TestModule, TestRunEndReason, Vitest } from 'vitest/node';

/** Same value as SKIP_MARKER_PREFIX in ./postgres.ts (not imported, to keep the reporter free of `pg`). */
const SKIP_MARKER_PREFIX = 'modelplane-test-skip-';

export default class SummaryReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'skipped') skipped++;
        else failed++; // 'failed', or 'pending' = never finished
      }
      // Errors outside any test: collection/import errors and failing suite-level hooks.
      failed += testModule.errors().length;
      for (const suite of testModule.children.allSuites()) failed += suite.errors().length;
    }
    failed += unhandledErrors.length;
    if (reason === 'interrupted' && failed === 0) failed = 1;

    removeSkipMarkers();
    const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    // Use Vitest's logger so the line is ordered after the default reporter's output.
    if (this.vitest) this.vitest.logger.log(line);
    else process.stdout.write(`${line}\n`);
  }
}

/** Removes the "skip notice already printed" markers that test workers (our children) left in os.tmpdir(). */
function removeSkipMarkers(): void {
  try {
    for (const name of readdirSync(os.tmpdir())) {
      if (name.startsWith(SKIP_MARKER_PREFIX) && name.endsWith(`-${process.pid}`)) {
        rmSync(path.join(os.tmpdir(), name), { force: true });
      }
    }
  } catch {
    // best effort
  }
}
