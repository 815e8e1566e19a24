import { AsyncLocalStorage } from 'node:async_hooks';
import type { PipelineRun, StepRun } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import type { Client } from '../client.js';
import type { Model } from '../model.js';
import type { PipelineGraph } from './pipeline-graph.js';

/** What a pipeline body sees through `getPipelineContext()`. */
export interface PipelineContext {
  /** The pipeline's name. */
  readonly name: string;
  /** The run's model (lazy: its version is resolved when the run starts), if the pipeline has one. */
  readonly model: Model | undefined;
  /** The parameters the pipeline was called with. */
  readonly parameters: unknown;
}

/** What a running step sees through `getStepContext()`. */
export interface StepContext {
  /** The step's model, already resolved and pinned for this run (step-level model wins over the pipeline's). */
  readonly model: Model | undefined;
  readonly pipelineRun: PipelineRun;
  readonly stepRun: StepRun;
  /** The step's name in this run. */
  readonly stepName: string;
}

/** @internal The composition in progress (pipeline bodies run synchronously, so one slot suffices). */
export interface Composition {
  graph: PipelineGraph;
  context: PipelineContext;
}

let composing: Composition | undefined;

/** @internal Runs a pipeline body with its composition context. */
export function withComposition<T>(composition: Composition, body: () => T): T {
  if (composing) throw new ValidationError('Pipelines cannot be composed inside another pipeline body; call the inner pipeline outside, or make its steps part of this one.');
  composing = composition;
  try {
    return body();
  } finally {
    composing = undefined;
  }
}

/** @internal The composition in progress, if any. */
export function currentComposition(): Composition | undefined {
  return composing;
}

/**
 * Inside a pipeline body: its name, parameters and model.
 * @example const model = getPipelineContext().model!; predict(model.getModelArtifact('trained_model'), data)
 */
export function getPipelineContext(): PipelineContext {
  if (!composing) throw new ValidationError('getPipelineContext() only works inside a pipeline body (the function given to pipeline()).');
  return composing.context;
}

/** @internal Everything the SDK needs about the running step, beyond the public context. */
export interface ActiveStep extends StepContext {
  readonly client: Client;
  /** Metadata logged with `inferArtifact` before the outputs exist: output artifact name → metadata. */
  readonly pendingArtifactMetadata: Map<string | undefined, Record<string, unknown>>;
  /** Metadata the step logged to its model version (`inferModel`), replayed when its outputs are reused. */
  readonly modelMetadata: Record<string, unknown>;
  /** Artifacts saved with `saveArtifact` inside the step: name → artifact version id. */
  readonly savedArtifacts: Map<string, string>;
  /** Names of the step's outputs' artifacts. */
  readonly outputArtifactNames: string[];
  /** Captured log lines. */
  readonly logs: string[];
}

const stepStorage = new AsyncLocalStorage<ActiveStep>();

/** @internal Runs `fn` as the body of a step. */
export function runInStep<T>(step: ActiveStep, fn: () => Promise<T>): Promise<T> {
  return stepStorage.run(step, fn);
}

/** @internal The running step, if any. */
export function activeStep(): ActiveStep | undefined {
  return stepStorage.getStore();
}

/**
 * Inside a running step: its model (resolved), pipeline run, step run and name.
 * @example const { model } = getStepContext(); await model?.logMetadata({ rows: data.length })
 */
export function getStepContext(): StepContext {
  const step = stepStorage.getStore();
  if (!step) throw new ValidationError('getStepContext() only works inside a running step.');
  return { model: step.model, pipelineRun: step.pipelineRun, stepRun: step.stepRun, stepName: step.stepName };
}
