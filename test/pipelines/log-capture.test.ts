/**
 * Captured step logs at volume: a step that logs a line per batch must not slow down as its log grows,
 * and the capture stops (saying so) at its size limit while the step carries on.
 */
import { describe, expect, it } from 'vitest';
import { pipeline, step } from '../../src/index.js';
import { useFreshStore } from './helpers.js';

// Keep the test output readable: console.debug prints nothing in this file. Step log capture wraps
// whatever console.debug is when the first step runs, so the lines are still captured.
console.debug = () => undefined;

const store = useFreshStore();

describe('log capture at volume', () => {
  it('captures up to the limit, says where it stopped, and stays fast', async () => {
    const lines = 300_000;
    const noisy = step({ name: 'noisy' }, async (n: number) => {
      const started = Date.now();
      for (let i = 0; i < n; i++) console.debug(`batch ${i} loss ${(1 / (i + 1)).toFixed(6)}`);
      return Date.now() - started;
    });
    const p = pipeline({ name: 'noisy_pipeline', client: store.client }, () => {
      noisy(lines);
    });
    const run = await p();
    expect(run.status).toBe('completed');
    const logs = run.step('noisy').logs.split('\n');
    expect(logs[0]).toBe('[debug] batch 0 loss 1.000000');
    expect(logs.at(-1)).toBe('[modelplane] log capture stopped after 1000000 characters; later lines went only to the console.');
    expect(logs.length).toBeLessThan(lines);
    const captured = logs.slice(0, -1).reduce((n, l) => n + l.length, 0);
    expect(captured).toBeGreaterThanOrEqual(1_000_000);
    expect(captured).toBeLessThan(1_000_100);
    // Linear, not quadratic: summing the captured lines on every call took over 10 s for this many lines.
    const elapsed = (await store.client.loadArtifact(run.step('noisy').outputs.output!)) as number;
    expect(elapsed).toBeLessThan(6_000);
  });
});
