/**
 * One writer process of concurrent-writers.test.ts, run with `tsx writer-child.ts '<json config>'`.
 *
 * It opens its own Client on the shared store, does one read so that the connection is open and the
 * schema checked (except for the `open-fresh` task, whose point is to open the store after the
 * barrier), prints `{"type":"ready"}`, then waits for the parent's start barrier (the go file
 * appearing) so that all writers really overlap. It then does its task, prints one
 * `{"type":"result",…}` line, closes the client and exits 0. Failures of individual calls are part of
 * the result (the test judges them); anything else prints `{"type":"fatal",…}` and exits 1.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, ModelplaneError, StageConflictError } from '../../src/index.js';

/** Where the store is: the same options `new Client(...)` takes. */
export type StoreOptions = { home: string } | { database: string; artifacts: string };

/** What one writer does after the barrier. */
export type WriterTask =
  /**
   * Opens the store only after the barrier (so that all writers open a fresh store at once), then
   * creates model `<actor>` and its first version.
   */
  | { kind: 'open-fresh' }
  /** Creates `count` versions of the model, one call each. */
  | { kind: 'create-versions'; count: number }
  /** Moves version `version` to production `rounds` times (reasons `<reasonPrefix>-r<round>`). */
  | { kind: 'promote'; version: number; force: boolean; rounds: number; reasonPrefix: string };

export interface WriterConfig {
  store: StoreOptions;
  /** Recorded as the actor of stage transitions. */
  actor: string;
  model: string;
  /** The start barrier: work begins once this file exists. */
  goFile: string;
  task: WriterTask;
}

/** How one call ended. */
export type CallOutcome =
  | { ok: true; reason?: string; id: string; number: number; stage: string }
  | { ok: false; reason?: string; name: string; code: string | undefined; message: string; isStageConflictError: boolean; details?: unknown };

/** The `{"type":"result"}` line. */
export interface WriterResult {
  type: 'result';
  pid: number;
  actor: string;
  /** Date.now() when the barrier opened for this process and when its work ended. */
  startedAt: number;
  endedAt: number;
  calls: CallOutcome[];
}

const BARRIER_TIMEOUT_MS = 90_000;

function emit(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function failure(err: unknown, reason?: string): CallOutcome {
  const e = err as { name?: string; message?: string; code?: unknown };
  return {
    ok: false,
    ...(reason === undefined ? {} : { reason }),
    name: e?.name ?? typeof err,
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: String(e?.message ?? err),
    isStageConflictError: err instanceof StageConflictError,
    ...(err instanceof ModelplaneError && err.details !== undefined ? { details: err.details } : {}),
  };
}

async function waitForGo(file: string): Promise<void> {
  const deadline = Date.now() + BARRIER_TIMEOUT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`start barrier ${file} never opened`);
    await sleep(2);
  }
}

async function runTask(client: Client, config: WriterConfig): Promise<CallOutcome[]> {
  const calls: CallOutcome[] = [];
  const { task, model } = config;
  if (task.kind === 'open-fresh') {
    try {
      await client.createModel({ name: config.actor });
      const v = await client.createModelVersion({ model: config.actor });
      calls.push({ ok: true, id: v.id, number: v.number, stage: v.stage });
    } catch (err) {
      calls.push(failure(err));
    }
    return calls;
  }
  if (task.kind === 'create-versions') {
    for (let i = 0; i < task.count; i++) {
      try {
        const v = await client.createModelVersion({ model });
        calls.push({ ok: true, id: v.id, number: v.number, stage: v.stage });
      } catch (err) {
        calls.push(failure(err));
      }
    }
    return calls;
  }
  for (let round = 1; round <= task.rounds; round++) {
    const reason = `${task.reasonPrefix}-r${round}`;
    try {
      const v = await client.updateModelVersion(model, task.version, { stage: 'production', force: task.force, reason });
      calls.push({ ok: true, reason, id: v.id, number: v.number, stage: v.stage });
    } catch (err) {
      calls.push(failure(err, reason));
    }
    // Let the others in between our rounds, so that promotions alternate between processes.
    if (round < task.rounds) await sleep(Math.floor(Math.random() * 8));
  }
  return calls;
}

const raw = process.argv[2];
if (!raw) throw new Error("usage: tsx writer-child.ts '<json WriterConfig>'");
const config = JSON.parse(raw) as WriterConfig;
const client = new Client({ ...config.store, actor: config.actor });
try {
  // Open the store (connection, migrations check) before the barrier: after it, only the task runs.
  if (config.task.kind !== 'open-fresh') await client.getModel(config.model);
  emit({ type: 'ready', pid: process.pid });
  await waitForGo(config.goFile);
  const startedAt = Date.now();
  const calls = await runTask(client, config);
  const result: WriterResult = { type: 'result', pid: process.pid, actor: config.actor, startedAt, endedAt: Date.now(), calls };
  emit(result);
} catch (err) {
  emit({ type: 'fatal', pid: process.pid, error: failure(err) });
  process.exitCode = 1;
} finally {
  await client.close();
}
