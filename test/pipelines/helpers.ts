/**
 * Shared set-up of the pipeline suites: every test gets a real embedded store (SQLite + local disk) in a
 * fresh temp folder, made the active client, closed and removed afterwards. Nothing is mocked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Client, type PipelineRun, type StepRun } from '../../src/index.js';

/** A fresh store for each test of the calling file; read `.client` inside a test. */
export interface StoreFixture {
  readonly client: Client;
  readonly home: string;
}

/** Registers beforeEach/afterEach hooks that give each test its own client on a fresh temp folder. */
export function useFreshStore(): StoreFixture {
  let current: { client: Client; home: string; stop?: () => Promise<void> } | undefined;
  let previous: Client | undefined;
  beforeEach(async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'modelplane-pipelines-'));
    // MODELPLANE_TEST_REMOTE=1: the same tests through HTTP, against a server on this temp folder.
    if (process.env.MODELPLANE_TEST_REMOTE === '1') {
      const { startServer } = await import('../../src/server/start-server.js');
      const server = await startServer({ database: `sqlite://${path.join(home, 'modelplane.db')}`, artifactStore: path.join(home, 'artifacts'), port: 0, auth: true });
      const res = await fetch(`${server.url}/api/v1/api_keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'tester', role: 'admin' }),
      });
      const { key } = (await res.json()) as { key: string };
      const client = new Client({ url: server.url, apiKey: key, actor: 'tester' });
      previous = Client.setActive(client);
      current = { client, home, stop: () => server.close() };
      return;
    }
    const client = new Client({ home, actor: 'tester' });
    previous = Client.setActive(client);
    current = { client, home };
  });
  afterEach(async () => {
    if (!current) return;
    const { client, home, stop } = current;
    current = undefined;
    await client.close();
    await stop?.();
    Client.setActive(previous);
    await rm(home, { recursive: true, force: true });
  });
  return {
    get client() {
      if (!current) throw new Error('useFreshStore(): the client exists only inside a test');
      return current.client;
    },
    get home() {
      if (!current) throw new Error('useFreshStore(): the store exists only inside a test');
      return current.home;
    },
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Largest number of intervals [startedAt, endedAt] that overlap at one moment. */
export function maxOverlap(runs: Array<Pick<StepRun, 'startedAt' | 'endedAt'>>): number {
  const events: Array<[number, number]> = [];
  for (const r of runs) {
    if (!r.endedAt) throw new Error('step run has no end time');
    events.push([r.startedAt.getTime(), 1], [r.endedAt.getTime(), -1]);
  }
  // Ends sort before starts at the same millisecond: touching intervals do not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, delta] of events) {
    open += delta;
    max = Math.max(max, open);
  }
  return max;
}

/** The ids of a page of records, for set comparisons. */
export const ids = (items: Array<{ id: string }>) => items.map((i) => i.id).sort();

/** Asserts a run record has ended and returns its duration in ms. */
export function durationOf(run: Pick<PipelineRun, 'startedAt' | 'endedAt'>): number {
  if (!run.endedAt) throw new Error('run has not ended');
  return run.endedAt.getTime() - run.startedAt.getTime();
}
