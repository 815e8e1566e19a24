import { format } from 'node:util';
import { activeStep } from './contexts.js';

/** A step's captured log is cut beyond this many characters (the rest still goes to the console). */
const MAX_LOG_CHARS = 1_000_000;

let installed = false;

/** Characters captured so far per step log (summing the lines on every call would be quadratic). */
const captured = new WeakMap<string[], number>();

/**
 * Routes `console.*` calls made inside a running step into that step's log (kept with its step run),
 * while still printing them. Installed once, on the first step run; outside steps it is a no-op.
 */
export function installLogCapture(): void {
  if (installed) return;
  installed = true;
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const step = activeStep();
      if (step) {
        const size = captured.get(step.logs) ?? 0;
        if (size < MAX_LOG_CHARS) {
          const line = format(...args);
          const entry = method === 'log' || method === 'info' ? line : `[${method}] ${line}`;
          step.logs.push(entry);
          captured.set(step.logs, size + entry.length);
          if (size + entry.length >= MAX_LOG_CHARS) step.logs.push(`[modelplane] log capture stopped after ${MAX_LOG_CHARS} characters; later lines went only to the console.`);
        }
      }
      original(...args);
    };
  }
}
