import type { Model } from '../model.js';
import type { ArtifactConfig } from './artifact-config.js';

/** How often and how patiently a failing step is retried. */
export interface RetryConfig {
  /** Attempts after the first one. */
  maxRetries: number;
  /** Wait before the first retry, in ms (default 0). */
  delayMs?: number;
  /** Multiplier of the wait for each further retry (default 2). */
  backoff?: number;
}

/** @internal The normalized definition of a step, shared by every invocation. */
export interface StepDefinition {
  name: string;
  fn: (...args: never[]) => unknown;
  /** Output key → config; single-output steps have the one key `output`. */
  outputs: Map<string, ArtifactConfig | null>;
  /** True when the function returns a record of outputs. */
  multiOutput: boolean;
  model: Model | undefined;
  enableCache: boolean | undefined;
  retry: Required<RetryConfig>;
  /** Parameter names read from the function's source, where possible. */
  inputNames: string[];
}

/**
 * Reads parameter names from a function's source so that inputs show up under their names
 * (`data`, `trees`) in run records. Destructured or unreadable parameters get `input_<i>`.
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = Function.prototype.toString.call(fn);
  const m = /^(?:async\s*)?(?:function\b[^(]*)?\(([^]*?)\)\s*(?:=>|\{)/.exec(source) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (!m) return [];
  const params: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of m[1] ?? '') {
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      params.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) params.push(current);
  return params.map((p, i) => {
    const name = /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)\s*(?:=|$)/.exec(p)?.[1];
    return name ?? `input_${i}`;
  });
}
