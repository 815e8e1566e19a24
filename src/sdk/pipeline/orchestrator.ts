/** What happened to one step of a run. */
export type StepOutcome = 'completed' | 'cached' | 'failed' | 'skipped';

/** A run as an orchestrator sees it: steps with dependencies, and how to run or skip each. */
export interface RunExecution {
  /** Step names with the names of the steps each depends on. */
  readonly steps: ReadonlyMap<string, ReadonlySet<string>>;
  /** Runs one step to its end (retries included); never rejects. */
  runStep(name: string): Promise<StepOutcome>;
  /** Records a step as skipped because something it depends on failed. */
  skipStep(name: string, because: string): Promise<void>;
}

/**
 * Decides where and in what order steps run. The local orchestrator runs them in this process,
 * independent steps concurrently; a queue orchestrator hands them to workers.
 */
export interface Orchestrator {
  /** Short name, e.g. `local`. */
  readonly name: string;
  /** Runs every step of `execution` whose dependencies completed; skips the rest. */
  execute(execution: RunExecution): Promise<void>;
}

let defaultOrchestrator: (() => Orchestrator) | undefined;

/** Sets the orchestrator pipelines use when they name none (the package entry point sets the local one). */
export function setDefaultOrchestrator(factory: () => Orchestrator): void {
  defaultOrchestrator = factory;
}

/** @internal The default orchestrator. */
export function getDefaultOrchestrator(): Orchestrator | undefined {
  return defaultOrchestrator?.();
}
