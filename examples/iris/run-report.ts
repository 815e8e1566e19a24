/** Checking and describing a finished pipeline run. */
import type { PipelineRunResult } from 'modelplane';

/** A pipeline run that did not complete; its message names the failed steps and their errors. */
export class PipelineRunFailed extends Error {
  constructor(readonly run: PipelineRunResult) {
    const failed = run.steps.filter((s) => s.status === 'failed');
    const details = failed.map((s) => `\n  step "${s.name}": ${s.error ?? 'no error recorded'}`).join('');
    super(`Pipeline run ${run.name} ${run.status}${run.error ? `: ${run.error}` : ''}${details}`);
    this.name = 'PipelineRunFailed';
  }
}

/** Throws {@link PipelineRunFailed} unless the run completed. A pipeline call resolves even when a step fails. */
export function ensureCompleted(run: PipelineRunResult): PipelineRunResult {
  if (run.status !== 'completed') throw new PipelineRunFailed(run);
  return run;
}

/** e.g. `load_iris cached, trainer ran, evaluate cached, evaluate cached`. */
export function describeSteps(run: PipelineRunResult): string {
  return run.steps.map((s) => `${s.name} ${s.cacheHit ? 'cached' : s.status === 'completed' ? 'ran' : s.status}`).join(', ');
}

/** Wall-clock duration of a run in milliseconds, from the run record. */
export function runMillis(run: PipelineRunResult): number {
  return (run.endedAt ?? new Date()).getTime() - run.startedAt.getTime();
}
