/**
 * Issue 3, point 3: the local orchestrator runs steps in topological order, independent steps
 * concurrently, retries failing steps, and on failure skips what depends on the failed step while
 * independent branches complete.
 */
import { describe, expect, it } from 'vitest';
import { LocalOrchestrator, Model, getStepContext, pipeline, step } from '../../src/index.js';
import { maxOverlap, sleep, useFreshStore } from './helpers.js';

const store = useFreshStore();

describe('local orchestrator', () => {
  it('runs steps in topological order, whatever the order of the body', async () => {
    const order: string[] = [];
    const track = (name: string) =>
      step({ name, enableCache: false }, async (...inputs: string[]) => {
        order.push(name);
        await sleep(5);
        return `${name}(${inputs.join(',')})`;
      });
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(track) as [
      ReturnType<typeof track>,
      ReturnType<typeof track>,
      ReturnType<typeof track>,
      ReturnType<typeof track>,
      ReturnType<typeof track>,
    ];
    // Diamond plus a tail: a → (b, c) → d → e.
    const p = pipeline({ name: 'diamond', client: store.client }, () => {
      const outA = a();
      const outB = b(outA);
      const outC = c(outA);
      e(d(outB, outC));
    });
    const run = await p();
    expect(run.status).toBe('completed');
    const pos = (s: string) => order.indexOf(s);
    expect(order).toHaveLength(5);
    expect(pos('a')).toBe(0);
    expect(pos('d')).toBeGreaterThan(Math.max(pos('b'), pos('c')));
    expect(pos('e')).toBe(4);
    // The records say the same: each step started after the steps it consumes ended.
    const rec = (s: string) => run.step(s);
    for (const [down, ups] of [['b', ['a']], ['c', ['a']], ['d', ['b', 'c']], ['e', ['d']]] as const) {
      for (const up of ups) expect(rec(down).startedAt.getTime()).toBeGreaterThanOrEqual(rec(up).endedAt!.getTime());
    }
    expect(await store.client.loadArtifact('diamond::e::output')).toBe('e(d(b(a()),c(a())))');
  });

  it('runs a 20-step fan-out concurrently', async () => {
    const source = step({ name: 'source' }, async () => 100);
    const leaf = step({ name: 'leaf' }, async (base: number, i: number) => {
      await sleep(50);
      return base + i;
    });
    const fanOut = (name: string, orchestrator?: LocalOrchestrator) =>
      pipeline({ name, client: store.client, enableCache: false, ...(orchestrator ? { orchestrator } : {}) }, () => {
        const base = source();
        for (let i = 0; i < 20; i++) leaf(base, i);
      });

    // Unlimited enough for all 20 at once.
    const wide = await fanOut('fan_out_wide', new LocalOrchestrator({ concurrency: 20 }))();
    expect(wide.status).toBe('completed');
    const leaves = wide.steps.filter((s) => s.name.startsWith('leaf'));
    expect(leaves.map((s) => s.name).sort()).toEqual(['leaf', ...Array.from({ length: 19 }, (_, i) => `leaf_${i + 2}`)].sort());
    expect(leaves.every((s) => s.status === 'completed')).toBe(true);
    expect(maxOverlap(leaves)).toBe(20);
    const leafSpan = Math.max(...leaves.map((s) => s.endedAt!.getTime())) - Math.min(...leaves.map((s) => s.startedAt.getTime()));
    expect(leafSpan).toBeLessThan(20 * 50);
    // Every leaf got its own value.
    const values = await Promise.all(leaves.map((s) => store.client.loadArtifact(s.outputs.output!)));
    expect((values as number[]).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));

    // The default orchestrator runs up to 8 at once.
    const capped = await fanOut('fan_out_default')();
    const cappedLeaves = capped.steps.filter((s) => s.name.startsWith('leaf'));
    expect(cappedLeaves).toHaveLength(20);
    expect(maxOverlap(cappedLeaves)).toBeGreaterThan(1);
    expect(maxOverlap(cappedLeaves)).toBeLessThanOrEqual(8);

    // concurrency: 1 runs them one after another.
    const serial = await fanOut('fan_out_serial', new LocalOrchestrator({ concurrency: 1 }))();
    expect(maxOverlap(serial.steps)).toBe(1);
  });

  it('retries a failing step: failing twice then succeeding with retries: 2 completes, and the log says so', async () => {
    let attempts = 0;
    const flaky = step({ name: 'flaky', retries: 2 }, async (n: number) => {
      attempts++;
      console.log(`attempt ${attempts} with n=${n}`);
      if (attempts <= 2) throw new Error(`transient failure ${attempts}`);
      return n * 3;
    });
    const after = step({ name: 'after_flaky' }, async (n: number) => n + 1);
    const p = pipeline({ name: 'retrying', client: store.client }, () => {
      after(flaky(7));
    });
    const run = await p();
    expect(attempts).toBe(3);
    expect(run.status).toBe('completed');
    const rec = run.step('flaky');
    expect(rec.status).toBe('completed');
    expect(rec.error).toBeNull();
    expect(rec.logs).toMatch(/attempt 1 of 3 failed \(Error: transient failure 1\); retrying/);
    expect(rec.logs).toMatch(/attempt 2 of 3 failed \(Error: transient failure 2\); retrying/);
    expect(rec.logs).toContain('attempt 3 with n=7');
    expect(await store.client.loadArtifact(run.step('after_flaky').outputs.output!)).toBe(22);
  });

  it('gives up after the last retry, with a delay between attempts', async () => {
    const starts: number[] = [];
    const broken = step({ name: 'always_broken', retries: { maxRetries: 2, delayMs: 20, backoff: 2 } }, async () => {
      starts.push(Date.now());
      throw new Error('still broken');
    });
    const p = pipeline({ name: 'giving_up', client: store.client }, () => {
      broken();
    });
    const run = await p();
    expect(starts).toHaveLength(3);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(18);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(38);
    expect(run.status).toBe('failed');
    const rec = run.step('always_broken');
    expect(rec.status).toBe('failed');
    expect(rec.error).toBe('Error: still broken');
    expect(rec.logs).toMatch(/attempt 1 of 3 failed \(Error: still broken\); retrying in 20 ms/);
    expect(rec.logs).toMatch(/attempt 2 of 3 failed \(Error: still broken\); retrying in 40 ms/);
  });

  it('a failing step fails the run, its dependents are skipped and an independent branch completes', async () => {
    const load = step({ name: 'load', output: 'loaded' }, async () => [1, 2, 3]);
    const explode = step({ name: 'explode' }, async (rows: number[]) => {
      console.log(`exploding on ${rows.length} rows`);
      throw new TypeError(`cannot handle ${rows.length} rows`);
    });
    const dependent = step({ name: 'dependent' }, async (x: unknown) => x);
    const grandchild = step({ name: 'grandchild' }, async (x: unknown, y: number[]) => [x, y]);
    const independent = step({ name: 'independent', output: 'independent_sum' }, async (rows: number[]) => {
      await sleep(30);
      return rows.reduce((s, r) => s + r, 0);
    });
    const independentTail = step({ name: 'independent_tail', output: 'independent_tail' }, async (sum: number) => sum * 2);
    const p = pipeline({ name: 'failing', model: new Model({ name: 'fail_model' }) }, () => {
      const rows = load();
      const bad = explode(rows);
      grandchild(dependent(bad), rows);
      independentTail(independent(rows));
    });
    const run = await p();
    expect(run.status).toBe('failed');
    expect(run.error).toBe('Step "explode" failed.');
    expect(run.endedAt).not.toBeNull();

    const failed = run.step('explode');
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('TypeError: cannot handle 3 rows');
    expect(failed.logs).toContain('exploding on 3 rows');
    expect(failed.logs).toContain('TypeError: cannot handle 3 rows');
    expect(failed.outputs).toEqual({});

    for (const name of ['dependent', 'grandchild']) {
      const skipped = run.step(name);
      expect(skipped.status).toBe('skipped');
      expect(skipped.error).toMatch(/upstream step "(explode|dependent)" did not complete/);
      expect(skipped.outputs).toEqual({});
    }
    expect(run.step('independent').status).toBe('completed');
    expect(run.step('independent_tail').status).toBe('completed');
    expect(await store.client.loadArtifact('independent_tail')).toBe(12);
    // The stored record says the same as the returned one.
    const stored = await store.client.getPipelineRun(run.id);
    expect(stored.status).toBe('failed');
    expect(stored.error).toBe('Step "explode" failed.');
    expect((await store.client.listPipelineRuns({ status: 'failed' })).items.map((r) => r.id)).toEqual([run.id]);
  });

  it('names every failed step in the run error', async () => {
    const failA = step({ name: 'fail_a' }, async () => {
      throw new Error('a');
    });
    const failB = step({ name: 'fail_b' }, async () => {
      throw new Error('b');
    });
    const p = pipeline({ name: 'two_failures', client: store.client }, () => {
      failA();
      failB();
    });
    const run = await p();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^Steps "fail_[ab]", "fail_[ab]" failed\.$/);
    expect(run.error).toContain('"fail_a"');
    expect(run.error).toContain('"fail_b"');
  });

  it('keeps the logs of concurrent steps apart', async () => {
    // Both steps log, then wait for each other: their lines interleave in time whatever the machine's load.
    let started = 0;
    let bothStarted!: () => void;
    const rendezvous = new Promise<void>((resolve) => (bothStarted = resolve));
    const chatty = step({ name: 'chatty', enableCache: false }, async (who: string) => {
      console.log(`${who} line 0`);
      if (++started === 2) bothStarted();
      await rendezvous;
      for (let i = 1; i < 3; i++) {
        console.log(`${who} line ${i}`);
        await sleep(5);
      }
      console.warn(`${who} warns`);
      return getStepContext().stepName;
    });
    const p = pipeline({ name: 'chatter', client: store.client }, () => {
      chatty('left');
      chatty('right');
    });
    const run = await p();
    expect(maxOverlap(run.steps)).toBe(2);
    expect(run.step('chatty').logs.split('\n')).toEqual(['left line 0', 'left line 1', 'left line 2', '[warn] left warns']);
    expect(run.step('chatty_2').logs.split('\n')).toEqual(['right line 0', 'right line 1', 'right line 2', '[warn] right warns']);
    expect(await store.client.loadArtifact(run.step('chatty_2').outputs.output!)).toBe('chatty_2');
  });
});
