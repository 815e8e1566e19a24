/**
 * A handle on a step's output inside a pipeline body: what a later step receives as input. It holds
 * no value — the value exists only when the pipeline runs.
 */
export class StepOutput<T = unknown> {
  /** Compile-time only: carries the output's type so that wiring mistakes are type errors. */
  declare readonly __type?: T;
  /** The pipeline composition this handle belongs to. */
  readonly graphId: string;
  /** The step invocation that produces it. */
  readonly stepName: string;
  /** The output's key (`output` for single-output steps). */
  readonly outputName: string;

  /** @internal Created by calling a step in a pipeline body. */
  constructor(graphId: string, stepName: string, outputName: string) {
    this.graphId = graphId;
    this.stepName = stepName;
    this.outputName = outputName;
  }

  /** A readable description, e.g. in error messages. */
  toString(): string {
    return `StepOutput(${this.stepName}.${this.outputName})`;
  }
}
