/**
 * Paging over HTTP: `page`/`size` accept decimal digits only (no `0x10`, `1e3`, blanks), and the stage
 * history is counted and sliced by the database rather than read whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmbeddedBackend } from '../backend/embedded-backend.js';
import { createApp } from './app.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-paging-'));
let backend: EmbeddedBackend;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  backend = await EmbeddedBackend.open({ database: `sqlite://${path.join(dir, 'm.db')}`, artifacts: path.join(dir, 'a'), actor: 'test' });
  app = createApp({ backend, auth: null });
  await backend.createModel({ name: 'm' });
  for (let i = 1; i <= 5; i++) {
    await backend.createModelVersion({ model: 'm' });
    await backend.updateModelVersion('m', i, { stage: 'staging', force: true });
  }
});

afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

it.each(['page=0x10', 'page=1e3', 'page=', 'page=%207', 'page=0', 'page=-1', 'size=1001', 'size=0', 'size=2.5', 'size=0x10'])('rejects %s with a 400 naming the parameter', async (query) => {
  const res = await app.request(`/api/v1/models?${query}`);
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('validation_error');
  expect(body.error.message).toMatch(query.startsWith('page') ? /"page"/ : /"size"/);
});

it('pages the stage history in the database', async () => {
  // 5 promotions to staging, 4 of them displacing the previous holder.
  const all = await backend.getStageHistory('m');
  expect(all).toHaveLength(5);
  const res = await app.request('/api/v1/models/m/stage_history?page=2&size=2');
  expect(res.status).toBe(200);
  const page = (await res.json()) as { items: Array<{ id: number }>; total: number; page: number; size: number };
  expect([page.total, page.page, page.size]).toEqual([5, 2, 2]);
  expect(page.items.map((t) => t.id)).toEqual(all.slice(2, 4).map((t) => t.id));
  const archived = (await (await app.request('/api/v1/models/m/stage_history?stage=archived&size=1000')).json()) as { total: number };
  expect(archived.total).toBe(4);
  const beyond = (await (await app.request('/api/v1/models/m/stage_history?page=9&size=2')).json()) as { items: unknown[]; total: number };
  expect([beyond.items.length, beyond.total]).toEqual([0, 5]);
});

it('pages a run’s step runs in the database, in start order', async () => {
  const run = await backend.createPipelineRun({ pipelineName: 'p' });
  for (let i = 0; i < 5; i++) await backend.createStepRun({ pipelineRunId: run.id, name: `s${i}` });
  const all = await backend.listStepRuns(run.id);
  const res = await app.request(`/api/v1/runs/${run.id}/step_runs?page=2&size=2`);
  expect(res.status).toBe(200);
  const page = (await res.json()) as { items: Array<{ id: string }>; total: number; page: number; size: number };
  expect([page.total, page.page, page.size]).toEqual([5, 2, 2]);
  expect(page.items.map((s) => s.id)).toEqual(all.slice(2, 4).map((s) => s.id));
  expect((await app.request('/api/v1/runs/00000000-0000-4000-8000-000000000000/step_runs')).status).toBe(404);
});
