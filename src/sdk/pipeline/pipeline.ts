import { randomUUID } from 'node:crypto';
import type { PipelineRun, StepRun } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { validateArtifactName } from '../../domain/names.js';
import { Client } from '../client.js';
import { Model } from '../model.js';
import { currentComposition, withComposition } from './contexts.js';
import { getDefaultOrchestrator, type Orchestrator, type RunExecution, type StepOutcome } from './orchestrator.js';
import { describeNonJson, PipelineGraph } from './pipeline-graph.js';
import { RunModels } from './run-models.js';
import { runStepNode, skipStepNode, type RunEnvironment } from './step-runner.js';

/** Options of {@link pipeline}. */
export interface PipelineOptions {
  /** Unique pipeline name. */
  name: string;
  /** The model every step's outputs are linked to (a step's own `model` wins). */
  model?: Model;
  /** Reuse outputs of identical earlier step runs (default true). */
  enableCache?: boolean;
  /** Extra placeholders for version-name templates, e.g. `{ team: 'vision' }` for `{team}`. */
  substitutions?: Record<string, string | number>;
  /** Client to record runs with; default the model's client, else `Client.active()`. */
  client?: Client;
  /** Where steps run; default the local orchestrator (in this process, independent steps concurrently). */
  orchestrator?: Orchestrator;
}

/** A finished pipeline run with its step runs. */
export interface PipelineRunResult extends PipelineRun {
  /** The step runs, in start order. */
  steps: StepRun[];
  /** The step run with that name. */
  step(name: string): StepRun;
  /** Loads the value of a step's output (`key` for steps with several outputs). */
  loadOutput<T = unknown>(stepName: string, key?: string): Promise<T>;
}

/** A composed pipeline: call it (with its parameters) to run it. */
export interface Pipeline<P> {
  (...params: P extends void | undefined ? [params?: P] : [params: P]): Promise<PipelineRunResult>;
  readonly pipelineName: string;
  readonly options: Readonly<PipelineOptions>;
}

function runName(pipelineName: string, id: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${pipelineName}-${stamp}-${id.slice(0, 8)}`;
}

/**
 * Declares a pipeline. Its body only composes: calling steps there returns output handles that are
 * passed to later steps. Each call of the pipeline composes the graph, validates it, resolves the model
 * version(s) once (pinned for the whole run), records a run and executes the steps.
 * @example
 * const training = pipeline({ name: 'training', model: new Model({ name: 'iris_classifier' }) }, (p: { trees: number }) => {
 *   const data = loadData()
 *   evaluate(trainer(data, p.trees), data)
 * })
 * const run = await training({ trees: 50 })
 */
export function pipeline<P = void>(options: PipelineOptions, body: (params: P) => unknown): Pipeline<P> {
  if (options === null || typeof options !== 'object') throw new ValidationError('pipeline({ name, … }, body) takes an options object first.');
  const name = validateArtifactName(options.name);
  if (typeof body !== 'function') throw new ValidationError(`pipeline "${name}" needs a body function.`);
  if (options.model !== undefined && !(options.model instanceof Model)) {
    throw new ValidationError(`pipeline "${name}": "model" must be a Model, e.g. new Model({ name: 'iris_classifier' }).`);
  }
  const frozen = Object.freeze({ ...options });
  const run = (params?: P) => {
    // Checked synchronously: inside an async function the error would only reject a promise the outer body never awaits.
    const outer = currentComposition();
    if (outer) {
      throw new ValidationError(`Pipeline "${name}" was called inside the body of pipeline "${outer.graph.pipelineName}": pipelines cannot be composed inside another pipeline body; call it outside, or make its steps part of this one.`);
    }
    return executePipeline(frozen, name, body as (params: P | undefined) => unknown, params);
  };
  return Object.assign(run, { pipelineName: name, options: frozen }) as unknown as Pipeline<P>;
}

async function executePipeline<P>(options: PipelineOptions, name: string, body: (params: P | undefined) => unknown, params: P | undefined): Promise<PipelineRunResult> {
  const problem = describeNonJson(params === undefined ? {} : params, 'parameters');
  if (problem) throw new ValidationError(`${problem}: pipeline parameters must be JSON values (they are recorded with the run).`);
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new ValidationError(`Pipeline "${name}" takes its parameters as one object, e.g. { trees: 50 }.`);
  }
  const client = options.client ?? options.model?.client ?? Client.active();
  const orchestrator = options.orchestrator ?? getDefaultOrchestrator();
  if (!orchestrator) throw new ValidationError('No orchestrator is configured: import pipelines from the "modelplane" package entry point.');

  // 1. Compose and validate: nothing is recorded or run until the graph is known to be sound.
  const runModels = new RunModels(client);
  const pipelineModel = options.model ? runModels.scoped(options.model) : undefined;
  const graph = new PipelineGraph(name, options.model);
  try {
    withComposition({ graph, context: { name, model: pipelineModel, parameters: params } }, () => {
      const result = body(params);
      if (result instanceof Promise) {
        result.catch(() => undefined);
        throw new ValidationError(`The body of pipeline "${name}" returned a Promise: a pipeline body only composes steps and must not be async or await anything.`);
      }
    });
    graph.validate();
  } catch (error) {
    // Lazy refs the body handed out must reject, not wait forever for a run that will not start.
    runModels.abandon(error);
    throw error;
  }
  for (const node of graph.nodes.values()) if (node.model) runModels.scoped(node.model);

  // 2. Resolve model versions (creating new ones where asked) before the run is recorded.
  const id = randomUUID();
  const startedAt = new Date();
  const runLabel = runName(name, id, startedAt);
  let versions;
  try {
    versions = await runModels.resolveAll({ run: { id, name: runLabel }, pipeline: { name }, ...(options.substitutions ? { substitutions: options.substitutions } : {}) });
  } catch (error) {
    runModels.abandon(error);
    throw error;
  }
  const backend = await client.backend();
  const pipelineRun = await backend.createPipelineRun({
    id,
    name: runLabel,
    pipelineName: name,
    parameters: (params ?? {}) as Record<string, unknown>,
    modelVersionId: pipelineModel ? versions.get(pipelineModel)!.id : null,
    status: 'running',
  });

  // 3. Execute.
  const env: RunEnvironment = { client, backend, pipelineRun, pipelineName: name, runModels, enableCache: options.enableCache ?? true, outputs: new Map() };
  const outcomes = new Map<string, StepOutcome>();
  const execution: RunExecution = {
    steps: new Map([...graph.nodes.values()].map((n) => [n.name, n.upstream])),
    runStep: async (stepName) => {
      const outcome = await runStepNode(env, graph.nodes.get(stepName)!);
      outcomes.set(stepName, outcome);
      return outcome;
    },
    skipStep: async (stepName, because) => {
      outcomes.set(stepName, 'skipped');
      await skipStepNode(env, graph.nodes.get(stepName)!, because);
    },
  };
  let failure: string | null = null;
  try {
    await orchestrator.execute(execution);
    const failed = [...outcomes].filter(([, o]) => o === 'failed').map(([n]) => n);
    if (failed.length > 0) failure = `Step${failed.length > 1 ? 's' : ''} ${failed.map((n) => `"${n}"`).join(', ')} failed.`;
  } catch (error) {
    failure = `The orchestrator failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const finished = await backend.updatePipelineRun(id, { status: failure ? 'failed' : 'completed', error: failure, ended: true });
  // In the graph's order: dependencies before the steps that consume them.
  const order = new Map(graph.topologicalOrder().map((stepName, i) => [stepName, i]));
  const steps = (await backend.listStepRuns(id)).sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  const step = (stepName: string): StepRun => {
    const found = steps.find((s) => s.name === stepName);
    if (!found) throw new ValidationError(`Run "${finished.name}" has no step "${stepName}"; its steps are ${steps.map((s) => s.name).join(', ')}.`);
    return found;
  };
  return Object.assign(finished, {
    steps,
    step,
    async loadOutput<T>(stepName: string, key = 'output'): Promise<T> {
      const id = step(stepName).outputs[key];
      if (id === undefined) {
        throw new ValidationError(`Step "${stepName}" of run "${finished.name}" has no stored output "${key}"; it has ${Object.keys(step(stepName).outputs).join(', ') || 'none'}.`);
      }
      return (await client.loadArtifact(id)) as T;
    },
  });
}
