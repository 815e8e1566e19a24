import type { Backend } from '../../backend/backend.js';
import type { ArtifactVersion, ModelVersion, PipelineRun, StepRun } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { loadArtifactValue, saveArtifactValue } from '../artifact-io.js';
import type { Client } from '../client.js';
import type { Model } from '../model.js';
import { cacheKey, type CacheInput } from './cache-key.js';
import { runInStep, type ActiveStep } from './contexts.js';
import { installLogCapture } from './log-capture.js';
import type { StepOutcome } from './orchestrator.js';
import type { StepNode } from './pipeline-graph.js';
import type { RunModels } from './run-models.js';

/** @internal Everything the steps of one run share. */
export interface RunEnvironment {
  client: Client;
  backend: Backend;
  pipelineRun: PipelineRun;
  pipelineName: string;
  runModels: RunModels;
  enableCache: boolean;
  /** Step name → output key → artifact version, filled as steps finish. */
  outputs: Map<string, Map<string, ArtifactVersion>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Step-run metadata key holding what the step logged to its model version with `inferModel`, so that a
 * run reusing the step's outputs from the cache gives its own model version the same metadata.
 */
export const MODEL_METADATA_REPLAY_KEY = 'modelplane.model_metadata';

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The default artifact name of an unnamed output. */
export function defaultArtifactName(pipelineName: string, stepName: string, key: string): string {
  return `${pipelineName}::${stepName}::${key}`;
}

interface ResolvedInputs {
  /** Input name → artifact version id, for the run record. */
  records: Record<string, string>;
  cacheInputs: CacheInput[];
  load: () => Promise<unknown[]>;
}

async function resolveInputs(env: RunEnvironment, node: StepNode): Promise<ResolvedInputs> {
  const records: Record<string, string> = {};
  const cacheInputs: CacheInput[] = [];
  const loaders: Array<() => Promise<unknown>> = [];
  for (const [i, arg] of node.args.entries()) {
    const inputName = node.inputNames[i]!;
    if (arg.kind === 'value') {
      cacheInputs.push({ value: arg.value });
      // Each attempt gets its own copy: a step that mutates its input must not poison a retry.
      loaders.push(async () => structuredClone(arg.value));
      continue;
    }
    let av: ArtifactVersion | undefined;
    if (arg.kind === 'output') {
      av = env.outputs.get(arg.stepName)?.get(arg.outputName);
      if (!av) {
        // The producer stored nothing (it returned undefined): pass undefined along.
        cacheInputs.push({ value: null });
        loaders.push(async () => undefined);
        continue;
      }
    } else {
      const mv = await arg.ref.modelVersion();
      av = await arg.ref.resolve();
      await env.backend.linkRunToModelVersion(mv.id, env.pipelineRun.id, 'consumer');
    }
    const resolved = av;
    records[inputName] = resolved.id;
    cacheInputs.push({ artifactVersionId: resolved.id });
    loaders.push(() => loadArtifactValue(env.backend, resolved));
  }
  return { records, cacheInputs, load: () => Promise.all(loaders.map((l) => l())) };
}

async function reuseCached(env: RunEnvironment, node: StepNode, stepRun: StepRun, cached: StepRun, modelVersionId: string | undefined): Promise<StepOutcome | undefined> {
  const outputs: Record<string, string> = {};
  const versions = new Map<string, ArtifactVersion>();
  for (const key of node.outputs.keys()) {
    const id = cached.outputs[key];
    if (id === undefined) {
      // A single output that stored nothing is fine; a missing declared output means no reuse.
      if (node.step.multiOutput) return undefined;
      continue;
    }
    versions.set(key, await env.backend.getArtifactVersion(id));
    outputs[key] = id;
  }
  // Checkpoints the original run saved with saveArtifact belong to the new version too.
  for (const [key, id] of Object.entries(cached.outputs)) if (key.startsWith('saved:')) outputs[key] = id;
  // And so do the metrics it logged to its model version.
  const replay = cached.runMetadata[MODEL_METADATA_REPLAY_KEY]?.value as Record<string, unknown> | undefined;
  if (replay && modelVersionId && Object.keys(replay).length > 0) {
    await env.backend.logMetadata({ type: 'model_version', id: modelVersionId }, replay);
  }
  await env.backend.finishStepRun(stepRun.id, {
    status: 'cached',
    cacheHit: true,
    outputs,
    logs: `Reused the outputs of step run ${cached.id} (cache key ${cached.cacheKey}).`,
  });
  env.outputs.set(node.name, versions);
  return 'cached';
}

/**
 * Runs one step invocation to its end: resolves inputs (loading upstream outputs and lazy refs),
 * reuses cached outputs when allowed, otherwise calls the function (with retries) inside its step
 * context, stores and links the outputs, and records everything in the step run. Never rejects.
 */
export async function runStepNode(env: RunEnvironment, node: StepNode): Promise<StepOutcome> {
  installLogCapture();
  const backend = env.backend;
  const model: Model | undefined = node.model ? env.runModels.scoped(node.model) : undefined;
  let stepRun: StepRun | undefined;
  const logs: string[] = [];
  try {
    const mv: ModelVersion | undefined = model ? await model.getVersion() : undefined;
    let inputs: ResolvedInputs;
    try {
      inputs = await resolveInputs(env, node);
    } catch (error) {
      stepRun = await backend.createStepRun({ pipelineRunId: env.pipelineRun.id, name: node.name, modelVersionId: mv?.id ?? null });
      throw error;
    }
    const outputArtifactNames = [...node.outputs.entries()].map(([k, c]) => c?.name ?? defaultArtifactName(env.pipelineName, node.name, k));
    const key = cacheKey(node.step.name, Function.prototype.toString.call(node.step.fn), node.outputs, outputArtifactNames, inputs.cacheInputs);
    stepRun = await backend.createStepRun({ pipelineRunId: env.pipelineRun.id, name: node.name, cacheKey: key, modelVersionId: mv?.id ?? null, inputs: inputs.records });

    if (node.step.enableCache ?? env.enableCache) {
      const cached = await backend.findCachedStepRun(key);
      if (cached) {
        const outcome = await reuseCached(env, node, stepRun, cached, mv?.id);
        if (outcome) return outcome;
      }
    }

    const active: ActiveStep = {
      model,
      pipelineRun: env.pipelineRun,
      stepRun,
      stepName: node.name,
      client: env.client,
      pendingArtifactMetadata: new Map(),
      modelMetadata: {},
      savedArtifacts: new Map(),
      outputArtifactNames,
      logs,
    };
    const { maxRetries, delayMs, backoff } = node.step.retry;
    let result: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        const values = await inputs.load();
        result = await runInStep(active, async () => (node.step.fn as (...a: unknown[]) => unknown)(...values));
        break;
      } catch (error) {
        if (attempt >= maxRetries) throw error;
        const wait = delayMs * backoff ** attempt;
        logs.push(`[modelplane] attempt ${attempt + 1} of ${maxRetries + 1} failed (${describeError(error)}); retrying${wait > 0 ? ` in ${wait} ms` : ''}.`);
        if (wait > 0) await sleep(wait);
      }
    }

    const outputs: Record<string, string> = {};
    const versions = new Map<string, ArtifactVersion>();
    if (node.step.multiOutput && (result === null || typeof result !== 'object')) {
      throw new ValidationError(`Step "${node.name}" declares outputs ${[...node.outputs.keys()].join(', ')} but returned ${result === null ? 'null' : typeof result}; return an object with those keys.`);
    }
    for (const [i, [outputKey, config]] of [...node.outputs.entries()].entries()) {
      const value = node.step.multiOutput ? (result as Record<string, unknown>)[outputKey] : result;
      if (node.step.multiOutput && !(outputKey in (result as object))) {
        throw new ValidationError(`Step "${node.name}" returned no "${outputKey}" output; return an object with keys ${[...node.outputs.keys()].join(', ')}.`);
      }
      if (value === undefined && !node.step.multiOutput && config === null) continue;
      const name = outputArtifactNames[i]!;
      const pending = { ...active.pendingArtifactMetadata.get(name), ...(node.outputs.size === 1 ? active.pendingArtifactMetadata.get(undefined) : {}) };
      const metadata = { ...config?.runMetadata, ...pending };
      const av = await saveArtifactValue(backend, name, value, {
        artifactType: config?.type ?? 'data',
        ...(config?.tags ? { tags: [...config.tags] } : {}),
        ...(config?.version === undefined ? {} : { version: config.version }),
        ...(config?.materializer === undefined ? {} : { materializer: config.materializer }),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
        ...(mv ? { modelVersionId: mv.id } : {}),
        producerRunId: env.pipelineRun.id,
        producerStepRunId: stepRun.id,
      });
      outputs[outputKey] = av.id;
      versions.set(outputKey, av);
    }
    for (const [name, id] of active.savedArtifacts) outputs[`saved:${name}`] = id;
    if (Object.keys(active.modelMetadata).length > 0) {
      await backend.logMetadata({ type: 'step_run', id: stepRun.id }, { [MODEL_METADATA_REPLAY_KEY]: active.modelMetadata }).catch((error: unknown) => {
        // Too large to keep for replay: cached re-runs will not copy it, nothing else is affected.
        logs.push(`[modelplane] model metadata not kept for cache replay: ${describeError(error)}`);
      });
    }
    await backend.finishStepRun(stepRun.id, { status: 'completed', outputs, logs: logs.join('\n') });
    env.outputs.set(node.name, versions);
    return 'completed';
  } catch (error) {
    try {
      stepRun ??= await backend.createStepRun({ pipelineRunId: env.pipelineRun.id, name: node.name });
      if (error instanceof Error && error.stack) logs.push(error.stack);
      await backend.finishStepRun(stepRun.id, { status: 'failed', error: describeError(error), logs: logs.join('\n') });
    } catch {
      // Recording the failure failed too (the store is gone); the run's status still says failed.
    }
    return 'failed';
  }
}

/** Records a step that did not run because a step it depends on failed. */
export async function skipStepNode(env: RunEnvironment, node: StepNode, because: string): Promise<void> {
  const stepRun = await env.backend.createStepRun({ pipelineRunId: env.pipelineRun.id, name: node.name, status: 'skipped' });
  await env.backend.finishStepRun(stepRun.id, { status: 'skipped', error: `Skipped: ${because}.` });
}
