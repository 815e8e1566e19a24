import { ValidationError } from '../../domain/errors.js';
import { validateArtifactName } from '../../domain/names.js';
import type { ArtifactRef } from '../artifact-ref.js';
import type { Model } from '../model.js';
import { toArtifactConfig, type ArtifactConfig } from './artifact-config.js';
import { currentComposition } from './contexts.js';
import { parameterNames, type RetryConfig, type StepDefinition } from './step-definition.js';
import type { StepOutput } from './step-output.js';

/** What a step accepts for a parameter of type `T` in a pipeline body. */
export type StepInput<T> = T | StepOutput<T> | ArtifactRef<T> | ArtifactRef<unknown>;

/** The parameters of a step as callable in a pipeline body. */
export type StepInputs<A extends unknown[]> = { [K in keyof A]: StepInput<A[K]> };

/** Options shared by every step. */
export interface StepOptions {
  /** Unique step name (used in run records and default artifact names). */
  name: string;
  /** The model this step's outputs are linked to; wins over the pipeline's. */
  model?: Model;
  /** Reuse outputs of an earlier identical run (default: the pipeline's setting, which defaults to true). */
  enableCache?: boolean;
  /** Retries on failure: a count, or a full {@link RetryConfig}. */
  retries?: number | RetryConfig;
}

/** Options of a step with one output. */
export interface SingleOutputStepOptions extends StepOptions {
  /** Names (and types) the output; default name `<pipeline>::<step>::output`. */
  output?: ArtifactConfig | string;
}

/** Options of a step whose function returns a record of several outputs. */
export interface MultiOutputStepOptions<K extends string> extends StepOptions {
  outputs: Record<K, ArtifactConfig | string>;
}

/** A step with one output; call it in a pipeline body. */
export interface Step<A extends unknown[], R> {
  (...args: StepInputs<A>): StepOutput<R>;
  /** The step's name. */
  readonly stepName: string;
  /** The plain function, for unit tests and direct calls. */
  readonly entrypoint: (...args: A) => Promise<R>;
  /** @internal */
  readonly definition: StepDefinition;
}

/** A step with several named outputs; call it in a pipeline body. */
export interface MultiOutputStep<A extends unknown[], R extends Record<string, unknown>> {
  (...args: StepInputs<A>): { [K in keyof R]: StepOutput<R[K]> };
  readonly stepName: string;
  readonly entrypoint: (...args: A) => Promise<R>;
  /** @internal */
  readonly definition: StepDefinition;
}

function normalizeRetry(retries: StepOptions['retries']): Required<RetryConfig> {
  if (retries === undefined) return { maxRetries: 0, delayMs: 0, backoff: 2 };
  const config = typeof retries === 'number' ? { maxRetries: retries } : retries;
  if (!Number.isSafeInteger(config.maxRetries) || config.maxRetries < 0) throw new ValidationError('retries must be a whole number ≥ 0.');
  return { maxRetries: config.maxRetries, delayMs: config.delayMs ?? 0, backoff: config.backoff ?? 2 };
}

/**
 * Declares a step: a typed async function whose inputs and outputs are stored as artifact versions.
 * @example
 * const trainer = step({ name: 'trainer', output: ArtifactConfig({ name: 'trained_model', isModelArtifact: true }) },
 *   async (data: Dataset, trees: number) => train(data, trees))
 */
export function step<A extends unknown[], R extends Record<string, unknown>>(options: MultiOutputStepOptions<Extract<keyof R, string>>, fn: (...args: A) => R | Promise<R>): MultiOutputStep<A, R>;
export function step<A extends unknown[], R>(options: SingleOutputStepOptions, fn: (...args: A) => R | Promise<R>): Step<A, Awaited<R>>;
export function step(options: SingleOutputStepOptions & Partial<MultiOutputStepOptions<string>>, fn: (...args: unknown[]) => unknown): unknown {
  if (options === null || typeof options !== 'object') throw new ValidationError('step({ name, … }, fn) takes an options object first.');
  if (typeof fn !== 'function') throw new ValidationError(`step "${options.name}" needs a function as its second argument.`);
  const name = validateArtifactName(options.name);
  const outputs = new Map<string, ArtifactConfig | null>();
  const multiOutput = options.outputs !== undefined;
  if (multiOutput) {
    if (options.output !== undefined) throw new ValidationError(`step "${name}": give either "output" or "outputs", not both.`);
    const entries = Object.entries(options.outputs!);
    if (entries.length === 0) throw new ValidationError(`step "${name}": "outputs" must name at least one output.`);
    for (const [key, spec] of entries) outputs.set(validateArtifactName(key), toArtifactConfig(spec));
  } else {
    outputs.set('output', options.output === undefined ? null : toArtifactConfig(options.output));
  }
  const definition: StepDefinition = {
    name,
    fn: fn as StepDefinition['fn'],
    outputs,
    multiOutput,
    model: options.model,
    enableCache: options.enableCache,
    retry: normalizeRetry(options.retries),
    inputNames: parameterNames(fn as StepDefinition['fn']),
  };
  const call = (...args: unknown[]) => {
    const composition = currentComposition();
    if (!composition) {
      throw new ValidationError(`Step "${name}" was called outside a pipeline body. Call steps inside pipeline(…, body), or use ${name}.entrypoint(…) to run the plain function.`);
    }
    const handles = composition.graph.addNode(definition, args);
    return multiOutput ? Object.fromEntries(handles) : handles.get('output');
  };
  return Object.assign(call, {
    stepName: name,
    entrypoint: async (...args: unknown[]) => fn(...args),
    definition,
  });
}
