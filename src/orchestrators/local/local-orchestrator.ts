import type { Orchestrator, RunExecution, StepOutcome } from '../../sdk/pipeline/orchestrator.js';

/** Options of {@link LocalOrchestrator}. */
export interface LocalOrchestratorOptions {
  /** Most steps running at once (default 8). */
  concurrency?: number;
}

/**
 * Runs a pipeline's steps in this process: each step as soon as everything it consumes has completed,
 * up to `concurrency` at once; when a step fails, everything downstream of it is skipped while
 * independent branches carry on.
 * @example pipeline({ name: 'training', orchestrator: new LocalOrchestrator({ concurrency: 4 }) }, body)
 */
export class LocalOrchestrator implements Orchestrator {
  readonly name = 'local';
  readonly concurrency: number;

  constructor(options: LocalOrchestratorOptions = {}) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  }

  async execute(execution: RunExecution): Promise<void> {
    const waitingOn = new Map<string, Set<string>>();
    const dependents = new Map<string, string[]>();
    for (const [name, deps] of execution.steps) {
      waitingOn.set(name, new Set(deps));
      for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), name]);
    }
    const ready = [...execution.steps.keys()].filter((n) => waitingOn.get(n)!.size === 0);
    const settled = new Set<string>();
    const skips: Promise<void>[] = [];
    let running = 0;

    const skipDownstream = (failed: string) => {
      const stack = [...(dependents.get(failed) ?? [])];
      while (stack.length > 0) {
        const name = stack.pop()!;
        if (settled.has(name)) continue;
        settled.add(name);
        skips.push(execution.skipStep(name, `upstream step "${failed}" did not complete`));
        stack.push(...(dependents.get(name) ?? []));
      }
    };

    await new Promise<void>((resolve) => {
      const finishIfDone = () => {
        if (running === 0 && ready.length === 0) resolve();
      };
      const launch = () => {
        while (running < this.concurrency && ready.length > 0) {
          const name = ready.shift()!;
          if (settled.has(name)) continue;
          running++;
          void execution.runStep(name).then(
            (outcome) => done(name, outcome),
            () => done(name, 'failed'),
          );
        }
        finishIfDone();
      };
      const done = (name: string, outcome: StepOutcome) => {
        running--;
        settled.add(name);
        if (outcome === 'completed' || outcome === 'cached') {
          for (const next of dependents.get(name) ?? []) {
            const waits = waitingOn.get(next)!;
            waits.delete(name);
            if (waits.size === 0 && !settled.has(next)) ready.push(next);
          }
        } else {
          skipDownstream(name);
        }
        launch();
      };
      launch();
    });
    await Promise.all(skips);
  }
}
