import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../domain/errors.js';
import { ArtifactRef } from '../artifact-ref.js';
import { Model } from '../model.js';
import type { ArtifactConfig } from './artifact-config.js';
import type { StepDefinition } from './step-definition.js';
import { StepOutput } from './step-output.js';

/** One argument of a step invocation. */
export type NodeArg =
  | { kind: 'output'; stepName: string; outputName: string }
  | { kind: 'ref'; ref: ArtifactRef }
  | { kind: 'value'; value: unknown };

/** One step invocation in a composed pipeline. */
export interface StepNode {
  /** Unique within the pipeline: the step's name, suffixed `_2`, `_3` … when invoked again. */
  name: string;
  step: StepDefinition;
  args: NodeArg[];
  /** Input names, by position (parameter names when they can be read from the function). */
  inputNames: string[];
  /** Output key → artifact config (null: default name `<pipeline>::<step>::<key>`, type data). */
  outputs: Map<string, ArtifactConfig | null>;
  /** Names of the steps whose outputs this one consumes, plus explicit `after` dependencies. */
  upstream: Set<string>;
  /** The model template that applies (step-level wins over the pipeline's). */
  model: Model | undefined;
}

function jsonProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}`;
  if (seen.has(value)) return `${path} is cyclic`;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return `${path} is a ${(value as object).constructor?.name ?? 'object'}`;
  seen.add(value);
  for (const [k, v] of Object.entries(value)) {
    // Optional properties left undefined are dropped, as JSON.stringify does; in arrays they are not allowed.
    if (v === undefined && !Array.isArray(value)) continue;
    if (v === undefined) return `${path}[${k}] is undefined`;
    const problem = jsonProblem(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, seen);
    if (problem) return problem;
  }
  seen.delete(value);
  return undefined;
}

/** Describes why `value` is not plain JSON (undefined object properties are fine), or undefined when it is. */
export function describeNonJson(value: unknown, path: string): string | undefined {
  return jsonProblem(value, path, new Set());
}

/** A pipeline's step graph, built by running its body once per run. */
export class PipelineGraph {
  readonly id = randomUUID();
  readonly nodes = new Map<string, StepNode>();
  readonly pipelineName: string;
  readonly pipelineModel: Model | undefined;

  constructor(pipelineName: string, pipelineModel: Model | undefined) {
    this.pipelineName = pipelineName;
    this.pipelineModel = pipelineModel;
  }

  /** Adds an invocation of `step` and returns its output handles. */
  addNode(step: StepDefinition, args: unknown[]): Map<string, StepOutput> {
    let name = step.name;
    for (let i = 2; this.nodes.has(name); i++) name = `${step.name}_${i}`;
    const upstream = new Set<string>();
    const nodeArgs = args.map((arg, i): NodeArg => {
      const label = `argument ${i + 1} (${step.inputNames[i] ?? `input_${i}`}) of step "${name}"`;
      if (arg instanceof StepOutput) {
        if (arg.graphId !== this.id) {
          throw new ValidationError(`${label} is ${arg.toString()}, an output from another pipeline composition; pass outputs only between steps of the same pipeline body.`);
        }
        upstream.add(arg.stepName);
        return { kind: 'output', stepName: arg.stepName, outputName: arg.outputName };
      }
      if (arg instanceof ArtifactRef) return { kind: 'ref', ref: arg };
      if (arg instanceof Model) throw new ValidationError(`${label} is a Model; pass an artifact of it instead, e.g. model.getModelArtifact('trained_model').`);
      const problem = describeNonJson(arg, label);
      if (problem) {
        throw new ValidationError(`${problem}: literal step arguments must be JSON values. Produce other values in a step and pass its output, or pass an ArtifactRef.`);
      }
      return { kind: 'value', value: arg };
    });
    const node: StepNode = {
      name,
      step,
      args: nodeArgs,
      inputNames: args.map((_, i) => step.inputNames[i] ?? `input_${i}`),
      outputs: step.outputs,
      upstream,
      model: step.model ?? this.pipelineModel,
    };
    this.nodes.set(name, node);
    const handles = new Map<string, StepOutput>();
    for (const key of step.outputs.keys()) handles.set(key, new StepOutput(this.id, name, key));
    return handles;
  }

  /** Step names in a topological order (each after everything it consumes). */
  topologicalOrder(): string[] {
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new ValidationError(`The steps ${[...path, name].join(' → ')} form a cycle.`);
      state.set(name, 'visiting');
      for (const up of this.nodes.get(name)!.upstream) visit(up, [...path, name]);
      state.set(name, 'done');
      order.push(name);
    };
    for (const name of this.nodes.keys()) visit(name, []);
    return order;
  }

  /** Checks the graph before anything runs: known upstream steps and outputs, no cycles, at least one step. */
  validate(): void {
    if (this.nodes.size === 0) throw new ValidationError(`Pipeline "${this.pipelineName}" has no steps: call at least one step in its body.`);
    for (const node of this.nodes.values()) {
      node.args.forEach((arg) => {
        if (arg.kind !== 'output') return;
        const producer = this.nodes.get(arg.stepName);
        if (!producer) throw new ValidationError(`Step "${node.name}" consumes an output of unknown step "${arg.stepName}".`);
        if (!producer.outputs.has(arg.outputName)) {
          throw new ValidationError(`Step "${node.name}" consumes output "${arg.outputName}" which step "${arg.stepName}" does not declare.`);
        }
      });
    }
    this.topologicalOrder();
  }
}
