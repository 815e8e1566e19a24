/**
 * The REST additions the dashboard needs (/tmp/notes/dashboard-api.md): stage holders on models,
 * versions sorted by a metadata value, metadata keys, metric series, artifact previews, lineage,
 * live events over SSE, and the static dashboard at `/`. Real databases only: every endpoint on
 * SQLite, the metadata queries also on PostgreSQL (skipped when it is not installed).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeValue } from '../../src/artifacts/value-codec.js';
import { EmbeddedBackend } from '../../src/backend/embedded-backend.js';
import { HttpBackend } from '../../src/backend/http-backend.js';
import type { ArtifactType } from '../../src/domain/artifact-type.js';
import { createApp } from '../../src/server/app.js';
import { findVersionById, versionLineage } from '../../src/store/index.js';
import { ApiKeyService } from '../../src/server/auth/api-key-service.js';
import { LiveEvents } from '../../src/server/routes/events.js';
import { startServer } from '../../src/server/start-server.js';
import { startPostgres } from '../support/postgres.js';

const postgres = await startPostgres();
afterAll(async () => {
  await postgres?.stop();
});

type App = ReturnType<typeof createApp>;

interface Harness {
  backend: EmbeddedBackend;
  app: App;
  key: string;
  home: string;
}

async function openHarness(database: (home: string) => string, dashboardDir?: string): Promise<Harness> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'mp-dashboard-api-'));
  const backend = await EmbeddedBackend.open({ database: database(home), artifacts: path.join(home, 'artifacts') });
  const auth = new ApiKeyService(backend.store);
  const key = (await auth.create({ name: `viewer-${Math.random()}`, role: 'viewer' })).key;
  const app = createApp({ backend, auth, ...(dashboardDir === undefined ? {} : { dashboardDir }) });
  return { backend, app, key, home };
}

async function closeHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await h.backend.close();
  await rm(h.home, { recursive: true, force: true });
}

async function get(h: Harness, url: string, withKey = true) {
  const res = await h.app.request(url, { headers: withKey ? { authorization: `Bearer ${h.key}` } : {} });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, text, json: json as any };
}

async function saveArtifact(backend: EmbeddedBackend, name: string, value: unknown, type: ArtifactType = 'data', extra: { producerRunId?: string; producerStepRunId?: string } = {}) {
  const written = await writeValue(value, await backend.openBlobWriter());
  return backend.createArtifactVersion({ name, type, contentHash: written.blob.contentHash, materializer: written.materializer, dataType: written.dataType, ...extra });
}

// ── metadata: sort, keys, series (both dialects) ─────────────────────────────────────────────────

/** Six versions; accuracy: v1 logged twice (newest wins), v2 none, v4 a string. */
async function seedMetrics(backend: EmbeddedBackend, model: string): Promise<string[]> {
  await backend.createModel({ name: model });
  const accuracy: Array<number | string | undefined> = [0.5, undefined, 0.7, 'n/a', 0.95, 0.8];
  const ids: string[] = [];
  for (let i = 0; i < accuracy.length; i++) {
    const v = await backend.createModelVersion({ model });
    ids.push(v.id);
    const target = { type: 'model_version' as const, id: v.id };
    if (i === 0) await backend.logMetadata(target, { evaluation_metrics: { accuracy: 0.1 } });
    if (accuracy[i] !== undefined) {
      await backend.logMetadata(target, {
        evaluation_metrics: { accuracy: accuracy[i], per_class: { setosa: { precision: i / 10 } } },
        'eval.acc': i,
        notes: `version ${i + 1}`,
        flag: i % 2 === 0,
      });
    }
  }
  return ids;
}

const dialects = [
  { name: 'SQLite', database: (home: string) => `sqlite://${path.join(home, 'db.sqlite')}`, skip: false },
  { name: 'PostgreSQL', database: () => postgres?.url ?? '', skip: !postgres },
];

for (const dialect of dialects) {
  describe.skipIf(dialect.skip)(`metadata queries on ${dialect.name}`, () => {
    let h: Harness;
    const model = `metrics_${dialect.name.toLowerCase()}`;
    beforeAll(async () => {
      h = await openHarness(dialect.database);
      await seedMetrics(h.backend, model);
    });
    afterAll(() => closeHarness(h));

    const numbers = (r: { json: { items: Array<{ number: number }> } }) => r.json.items.map((v) => v.number);

    it('sorts versions by a nested metadata value, numbers first, then strings, missing last', async () => {
      const desc = await get(h, `/api/v1/model_versions?model=${model}&sortBy=-metadata.evaluation_metrics.accuracy`);
      expect(desc.status).toBe(200);
      expect(numbers(desc)).toEqual([5, 6, 3, 1, 4, 2]);
      expect(desc.json.total).toBe(6);
      const asc = await get(h, `/api/v1/model_versions?model=${model}&sortBy=metadata.evaluation_metrics.accuracy`);
      expect(numbers(asc)).toEqual([1, 3, 6, 5, 4, 2]);
      const paged = await get(h, `/api/v1/model_versions?model=${model}&sortBy=-metadata.evaluation_metrics.accuracy&page=2&size=2`);
      expect(numbers(paged)).toEqual([3, 1]);
      // The newest value wins: v1 logged 0.1 first, then 0.5.
      expect(asc.json.items[0].runMetadata.evaluation_metrics.value.accuracy).toBe(0.5);
    });

    it('sorts by top-level keys, keys containing dots, and deep paths; existing sorts and filters still apply', async () => {
      expect(numbers(await get(h, `/api/v1/model_versions?model=${model}&sortBy=-metadata.eval.acc`))).toEqual([6, 5, 4, 3, 1, 2]);
      expect(numbers(await get(h, `/api/v1/model_versions?model=${model}&sortBy=metadata.notes`))).toEqual([1, 3, 4, 5, 6, 2]);
      expect(numbers(await get(h, `/api/v1/model_versions?model=${model}&sortBy=desc:metadata.evaluation_metrics.per_class.setosa.precision`))).toEqual([6, 5, 4, 3, 1, 2]);
      expect(numbers(await get(h, `/api/v1/model_versions?model=${model}&sortBy=-metadata.no_such_key`))).toEqual([6, 5, 4, 3, 2, 1]);
      expect(numbers(await get(h, `/api/v1/model_versions?model=${model}&sortBy=-number`))).toEqual([6, 5, 4, 3, 2, 1]);
      expect(numbers(await get(h, `/api/v1/model_versions?model=${model}&sortBy=-metadata.evaluation_metrics.accuracy&filter=number>=3`))).toEqual([5, 6, 3, 4]);
      const bad = await get(h, `/api/v1/model_versions?model=${model}&sortBy=metadata.a..b`);
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe('validation_error');
    });

    it('lists metadata keys and nested paths with type and count', async () => {
      const r = await get(h, `/api/v1/models/${model}/metadata_keys`);
      expect(r.status).toBe(200);
      const keys = r.json.keys as Array<{ key: string; type: string; count: number }>;
      expect(keys.map((k) => k.key)).toEqual([
        'eval.acc',
        'evaluation_metrics',
        'evaluation_metrics.accuracy',
        'evaluation_metrics.per_class',
        'evaluation_metrics.per_class.setosa',
        'evaluation_metrics.per_class.setosa.precision',
        'flag',
        'notes',
      ]);
      const byKey = Object.fromEntries(keys.map((k) => [k.key, k]));
      expect(byKey['evaluation_metrics']).toEqual({ key: 'evaluation_metrics', type: 'object', count: 5 });
      expect(byKey['evaluation_metrics.accuracy']).toEqual({ key: 'evaluation_metrics.accuracy', type: 'number', count: 5 });
      expect(byKey['flag']!.type).toBe('boolean');
      expect(byKey['notes']).toEqual({ key: 'notes', type: 'string', count: 5 });
      expect(byKey['eval.acc']!.type).toBe('number');
      expect((await get(h, '/api/v1/models/nope/metadata_keys')).status).toBe(404);
    });

    it('gives the numeric series of a path by version number', async () => {
      const r = await get(h, `/api/v1/models/${model}/metric_series?key=evaluation_metrics.accuracy`);
      expect(r.status).toBe(200);
      expect(r.json.key).toBe('evaluation_metrics.accuracy');
      expect(r.json.points.map((p: { number: number; value: number }) => [p.number, p.value])).toEqual([
        [1, 0.5],
        [3, 0.7],
        [5, 0.95],
        [6, 0.8],
      ]);
      expect(r.json.points[0]).toMatchObject({ name: '1', stage: 'none', versionId: expect.any(String), createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      const zipped = await h.app.request(`/api/v1/models/${model}/metric_series?key=evaluation_metrics.accuracy`, { headers: { authorization: `Bearer ${h.key}`, 'accept-encoding': 'gzip' } });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString())).toEqual(r.json);
      const dotted = await get(h, `/api/v1/models/${model}/metric_series?key=eval.acc`);
      expect(dotted.json.points.map((p: { value: number }) => p.value)).toEqual([0, 2, 3, 4, 5]);
      expect((await get(h, `/api/v1/models/${model}/metric_series?key=notes`)).json.points).toEqual([]);
      const missing = await get(h, `/api/v1/models/${model}/metric_series`);
      expect(missing.status).toBe(400);
      expect(missing.json.error.code).toBe('validation_error');
      expect((await get(h, '/api/v1/models/nope/metric_series?key=a')).status).toBe(404);
      // Paths no database can take are refused as bad input, never a 500.
      for (const key of ['a%00b', `a.${'b.'.repeat(40)}c`, 'a.x%22y', 'a..b']) {
        const r = await get(h, `/api/v1/models/${model}/metric_series?key=${key}`);
        expect(r.status, key).toBe(400);
        expect((await get(h, `/api/v1/model_versions?model=${model}&sortBy=-metadata.${key}`)).status, key).toBe(400);
      }
    });
  });
}

// ── models, previews, lineage, content types (both dialects) ─────────────────────────────────────

for (const dialect of dialects) describe.skipIf(dialect.skip)(`dashboard reads on ${dialect.name}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(dialect.database);
  });
  afterAll(() => closeHarness(h));

  it('models carry their production and staging holders', async () => {
    await h.backend.createModel({ name: 'held' });
    await h.backend.createModel({ name: 'empty' });
    const v1 = await h.backend.createModelVersion({ model: 'held' });
    const v2 = await h.backend.createModelVersion({ model: 'held', name: 'candidate' });
    await h.backend.updateModelVersion('held', 1, { stage: 'production' });
    await h.backend.updateModelVersion('held', 2, { stage: 'staging' });
    const page = await get(h, '/api/v1/models?size=100');
    const held = page.json.items.find((m: { name: string }) => m.name === 'held');
    expect(held.productionVersion).toEqual({ id: v1.id, number: 1, name: '1' });
    expect(held.stagingVersion).toEqual({ id: v2.id, number: 2, name: 'candidate' });
    expect(page.json.items.find((m: { name: string }) => m.name === 'empty')).toMatchObject({ productionVersion: null, stagingVersion: null });
    expect((await get(h, '/api/v1/models/held')).json.productionVersion.id).toBe(v1.id);
    expect((await h.backend.getModel('held')).stagingVersion).toEqual({ id: v2.id, number: 2, name: 'candidate' });
  });

  it('previews JSON, tables, images, text and binary values', async () => {
    const preview = async (id: string) => (await get(h, `/api/v1/artifact_versions/${id}/preview`)).json;
    const json = await saveArtifact(h.backend, 'cfg', { lr: 0.1, layers: [1, 2] });
    expect(await preview(json.id)).toEqual({ kind: 'json', value: { lr: 0.1, layers: [1, 2] }, truncated: false });

    const big = await saveArtifact(h.backend, 'big', Array.from({ length: 40_000 }, (_, i) => `item-${i}`));
    const bigPreview = await preview(big.id);
    expect(bigPreview).toMatchObject({ kind: 'text', truncated: true });
    expect(bigPreview.text.length).toBe(64 * 1024);

    const records = await saveArtifact(h.backend, 'rows', Array.from({ length: 50 }, (_, i) => ({ id: i, name: `r${i}`, ok: i % 2 === 0, score: i / 2 })));
    const table = await preview(records.id);
    expect(table).toMatchObject({ kind: 'table', columns: ['id', 'name', 'ok', 'score'], totalRows: 50 });
    expect(table.rows).toHaveLength(20);
    expect(table.rows[3]).toEqual([3, 'r3', false, 1.5]);

    const arrow = await saveArtifact(h.backend, 'arrow', tableFromArrays({ x: Float64Array.from([1.5, 2.5, 3.5]), big: BigInt64Array.from([1n, 2n, 9007199254740993n]) }));
    expect(await preview(arrow.id)).toEqual({ kind: 'table', columns: ['x', 'big'], rows: [[1.5, 1], [2.5, 2], [3.5, '9007199254740993']], totalRows: 3 });

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
    const pngAv = await saveArtifact(h.backend, 'plot', png);
    expect(await preview(pngAv.id)).toEqual({ kind: 'image', mediaType: 'image/png' });
    const content = await h.app.request(`/api/v1/artifact_versions/${pngAv.id}/content`, { headers: { authorization: `Bearer ${h.key}` } });
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer()).equals(png)).toBe(true);

    const svg = await saveArtifact(h.backend, 'chart', Buffer.from('<?xml version="1.0"?>\n<!-- chart -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'));
    expect(await preview(svg.id)).toEqual({ kind: 'image', mediaType: 'image/svg+xml' });
    const svgContent = await h.app.request(`/api/v1/artifact_versions/${svg.id}/content`, { headers: { authorization: `Bearer ${h.key}` } });
    expect(svgContent.headers.get('content-type')).toBe('image/svg+xml');
    expect(svgContent.headers.get('content-security-policy')).toMatch(/sandbox/);
    const jpeg = await saveArtifact(h.backend, 'photo', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    expect(await preview(jpeg.id)).toEqual({ kind: 'image', mediaType: 'image/jpeg' });

    const csv = await saveArtifact(h.backend, 'csv', Buffer.from('a,b\n1,2\n'));
    expect(await preview(csv.id)).toEqual({ kind: 'text', text: 'a,b\n1,2\n', truncated: false });
    const csvContent = await h.app.request(`/api/v1/artifact_versions/${csv.id}/content`, { headers: { authorization: `Bearer ${h.key}` } });
    expect(csvContent.headers.get('content-type')).toBe('application/octet-stream');

    const raw = await saveArtifact(h.backend, 'raw', new Uint8Array([0, 1, 2, 255]));
    expect(await preview(raw.id)).toEqual({ kind: 'binary', size: 4, dataType: 'Uint8Array', materializer: 'bytes' });
    const floats = await saveArtifact(h.backend, 'weights', Float32Array.from([1, 2, 3]));
    expect(await preview(floats.id)).toEqual({ kind: 'binary', size: 12, dataType: 'Float32Array', materializer: 'typed-array' });

    // Bytes that do not load with their materializer are described, not a 4xx/5xx.
    const garbage = await writeValue(Buffer.from('not json {'), await h.backend.openBlobWriter());
    const badJson = await h.backend.createArtifactVersion({ name: 'bad-json', contentHash: garbage.blob.contentHash, materializer: 'json', dataType: 'json' });
    expect(await preview(badJson.id)).toEqual({ kind: 'text', text: 'not json {', truncated: false });
    const badTable = await h.backend.createArtifactVersion({ name: 'bad-table', contentHash: garbage.blob.contentHash, materializer: 'table', dataType: 'records' });
    expect(await preview(badTable.id)).toEqual({ kind: 'binary', size: 10, dataType: 'records', materializer: 'table' });

    expect((await get(h, '/api/v1/artifact_versions/00000000-0000-4000-8000-000000000000/preview')).status).toBe(404);
    expect((await get(h, `/api/v1/artifact_versions/${json.id}/preview`, false)).status).toBe(401);
  });

  it('builds the lineage graph of a version: producing run, steps, artifacts, consuming run', async () => {
    const b = h.backend;
    const mv = await b.createModelVersion({ model: 'lineage', createModel: {} });
    const train = await b.createPipelineRun({ pipelineName: 'training', modelVersionId: mv.id });
    const load = await b.createStepRun({ pipelineRunId: train.id, name: 'load', modelVersionId: mv.id });
    const data = await saveArtifact(b, 'dataset', [{ x: 1 }], 'data', { producerRunId: train.id, producerStepRunId: load.id });
    await b.finishStepRun(load.id, { status: 'completed', outputs: { output: data.id } });
    const fit = await b.createStepRun({ pipelineRunId: train.id, name: 'trainer', modelVersionId: mv.id, inputs: { train: data.id } });
    const weights = await saveArtifact(b, 'trained_model', { w: [1, 2] }, 'model', { producerRunId: train.id, producerStepRunId: fit.id });
    await b.finishStepRun(fit.id, { status: 'completed', outputs: { output: weights.id } });
    await b.updatePipelineRun(train.id, { status: 'completed', ended: true });

    const infer = await b.createPipelineRun({ pipelineName: 'inference' });
    const predict = await b.createStepRun({ pipelineRunId: infer.id, name: 'predict', inputs: { model: weights.id } });
    const predictions = await saveArtifact(b, 'predictions', [1, 0, 1], 'data');
    await b.finishStepRun(predict.id, { status: 'completed', outputs: { output: predictions.id } });
    await b.linkRunToModelVersion(mv.id, infer.id, 'consumer');

    const r = await get(h, `/api/v1/model_versions/${mv.id}/lineage`);
    expect(r.status).toBe(200);
    const nodes = new Map((r.json.nodes as Array<{ id: string }>).map((n) => [n.id, n]));
    expect(nodes.get(`version:${mv.id}`)).toEqual({ id: `version:${mv.id}`, kind: 'model_version', label: 'lineage v1', status: 'none', refId: mv.id });
    expect(nodes.get(`run:${train.id}`)).toMatchObject({ kind: 'run', status: 'completed', refId: train.id });
    expect(nodes.get(`step:${fit.id}`)).toMatchObject({ kind: 'step', label: 'trainer', status: 'completed', refId: fit.id });
    expect(nodes.get(`artifact:${weights.id}`)).toEqual({ id: `artifact:${weights.id}`, kind: 'artifact', label: 'trained_model v1', artifactType: 'model', refId: weights.id });
    expect(nodes.get(`artifact:${data.id}`)).toMatchObject({ artifactType: 'data' });
    expect(nodes.get(`run:${infer.id}`)).toMatchObject({ kind: 'run' });
    expect(nodes.get(`artifact:${predictions.id}`)).toMatchObject({ kind: 'artifact' });
    expect(nodes.size).toBe(9);
    const edges = (r.json.edges as Array<{ source: string; target: string; label?: string }>).map((e) => `${e.source} -${e.label ?? ''}-> ${e.target}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        `run:${train.id} --> step:${load.id}`,
        `step:${load.id} -output-> artifact:${data.id}`,
        `artifact:${data.id} -train-> step:${fit.id}`,
        `step:${fit.id} -output-> artifact:${weights.id}`,
        `artifact:${weights.id} -model-> version:${mv.id}`,
        `run:${infer.id} --> step:${predict.id}`,
        `artifact:${weights.id} -model-> step:${predict.id}`,
        `step:${predict.id} -output-> artifact:${predictions.id}`,
      ]),
    );
    expect(edges).toHaveLength(9);
    expect(r.json.truncated).toBe(false);

    // The version's runs say how they relate to it; an unlinked run configured with the version counts as its producer.
    const quiet = await b.createPipelineRun({ pipelineName: 'metadata-only', modelVersionId: mv.id });
    await b.linkRunToModelVersion(mv.id, quiet.id, 'consumer');
    await b.linkRunToModelVersion(mv.id, quiet.id, 'producer');
    const runs = await get(h, `/api/v1/model_versions/${mv.id}/runs`);
    expect(runs.status).toBe(200);
    const relations = Object.fromEntries(runs.json.items.map((r: { pipelineName: string; relations: string[] }) => [r.pipelineName, r.relations]));
    expect(relations).toEqual({ training: ['producer'], inference: ['consumer'], 'metadata-only': ['producer', 'consumer'] });
    const unlinked = await b.createModelVersion({ model: 'lineage' });
    const created = await b.createPipelineRun({ pipelineName: 'empty-training', modelVersionId: unlinked.id });
    expect((await get(h, `/api/v1/model_versions/${unlinked.id}/runs`)).json.items).toEqual([expect.objectContaining({ id: created.id, relations: ['producer'] })]);

    const bare = await b.createModelVersion({ model: 'lineage' });
    expect((await get(h, `/api/v1/model_versions/${bare.id}/lineage`)).json).toEqual({
      nodes: [{ id: `version:${bare.id}`, kind: 'model_version', label: 'lineage v3', status: 'none', refId: bare.id }],
      edges: [],
      truncated: false,
    });
    expect((await get(h, '/api/v1/model_versions/00000000-0000-4000-8000-000000000000/lineage')).status).toBe(404);

    // A much-read version shows its 50 newest consuming runs and says the graph was cut.
    const popular = await b.createModelVersion({ model: 'lineage' });
    for (let i = 0; i < 55; i++) {
      const run = await b.createPipelineRun({ pipelineName: `reader-${i}` });
      await b.linkRunToModelVersion(popular.id, run.id, 'consumer');
    }
    const cut = (await get(h, `/api/v1/model_versions/${popular.id}/lineage`)).json;
    expect(cut.truncated).toBe(true);
    expect(cut.nodes.filter((n: { kind: string }) => n.kind === 'run')).toHaveLength(50);
    expect(cut.edges).toHaveLength(50);
    // The node limit keeps the producing side first and drops edges to nodes that did not make it.
    const small = await versionLineage(b.store.db, (await findVersionById(b.store.db, mv.id))!, 5);
    expect(small.truncated).toBe(true);
    expect(small.nodes.map((n) => n.kind)).toEqual(['model_version', 'run', 'run', 'step', 'artifact']);
    const ids = new Set(small.nodes.map((n) => n.id));
    for (const e of small.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });

  it('documents the new endpoints in the OpenAPI document', async () => {
    const doc = (await get(h, '/api/v1/openapi.json', false)).json;
    for (const p of ['/models/{model}/metadata_keys', '/models/{model}/metric_series', '/artifact_versions/{id}/preview', '/model_versions/{id}/lineage', '/events']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });
});

// ── static dashboard ─────────────────────────────────────────────────────────────────────────────

describe('dashboard files at /', () => {
  let h: Harness;
  let dist: string;
  beforeAll(async () => {
    dist = await mkdtemp(path.join(os.tmpdir(), 'mp-dashboard-dist-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(path.join(dist, 'assets', 'index-3f2a1b.js'), 'console.log(1)');
    await writeFile(path.join(dist, 'assets', 'index-9c8d7e.css'), 'body{}');
    await writeFile(path.join(dist, 'assets', 'vendor-77aa00.js'), 'export const x = 1;\n'.repeat(500));
    await writeFile(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(path.join(path.dirname(dist), `secret-${path.basename(dist)}.txt`), 'secret');
    h = await openHarness((home) => `sqlite://${path.join(home, 'db.sqlite')}`, dist);
  });
  afterAll(async () => {
    await closeHarness(h);
    await rm(dist, { recursive: true, force: true });
    await rm(path.join(path.dirname(dist), `secret-${path.basename(dist)}.txt`), { force: true });
  });

  it('serves index.html at / and for client-side routes, without a key and with no-cache', async () => {
    for (const url of ['/', '/models/iris', '/models/iris/versions/3?tab=lineage', '/index.html']) {
      const r = await get(h, url, false);
      expect(r.status, url).toBe(200);
      expect(r.text).toContain('<div id="root">');
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('cache-control')).toBe('no-cache');
    }
    const head = await h.app.request('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('serves hashed assets as immutable with their content type; missing assets are 404', async () => {
    const js = await get(h, '/assets/index-3f2a1b.js', false);
    expect(js.status).toBe(200);
    expect(js.text).toBe('console.log(1)');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get(h, '/assets/index-9c8d7e.css', false)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get(h, '/favicon.svg', false)).headers.get('content-type')).toBe('image/svg+xml');
    expect((await get(h, '/assets/gone-123.js', false)).status).toBe(404);
    // Larger text files are gzipped for clients that accept it.
    const packed = await h.app.request('/assets/vendor-77aa00.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(packed.headers.get('content-encoding')).toBe('gzip');
    expect(packed.headers.get('vary')).toBe('Accept-Encoding');
    const bytes = Buffer.from(await packed.arrayBuffer());
    expect(Number(packed.headers.get('content-length'))).toBe(bytes.length);
    expect(gunzipSync(bytes).toString()).toBe('export const x = 1;\n'.repeat(500));
    const plain = await h.app.request('/assets/vendor-77aa00.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await plain.text()).length).toBe(10_000);
  });

  it('never serves files outside the dashboard folder', async () => {
    const secret = `secret-${path.basename(dist)}.txt`;
    for (const url of [`/../${secret}`, `/%2e%2e/${secret}`, `/..%2f${secret}`, `/assets/..%2f..%2f${secret}`, `/assets/%2e%2e/%2e%2e/${secret}`, `/..%5c${secret}`, '/%00', '/%zz']) {
      const r = await get(h, url, false);
      expect(r.text, url).not.toContain('secret');
      expect([200, 404], url).toContain(r.status);
    }
  });

  it('keeps the JSON 404 and the key requirement under /api/', async () => {
    const unknown = await get(h, '/api/nope', false);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
    const v1 = await get(h, '/api/v1/no/such/route');
    expect(v1.status).toBe(404);
    expect(v1.json.error.code).toBe('not_found');
    expect((await get(h, '/api/v1/models', false)).status).toBe(401);
  });

  it('answers a page saying how to build the dashboard when it is missing', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'mp-dashboard-none-'));
    try {
      const app = createApp({ backend: h.backend, auth: null, dashboardDir: path.join(empty, 'nothing') });
      const r = await app.request('/models/x');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await r.text()).toContain('npm run build');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

// ── live events through a real server ───────────────────────────────────────────────────────────

describe('live event feed failures', () => {
  it('logs a failing poll once, not on every poll', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'mp-dashboard-feed-fail-'));
    const backend = await EmbeddedBackend.open({ database: `sqlite://${path.join(home, 'db.sqlite')}`, artifacts: path.join(home, 'artifacts') });
    const lines: string[] = [];
    const events = new LiveEvents(backend, { pollMs: 20, log: (line) => lines.push(line) });
    const unsubscribe = events.subscribe({ send: () => undefined, end: () => undefined });
    try {
      await new Promise((r) => setTimeout(r, 100));
      await backend.close();
      await new Promise((r) => setTimeout(r, 300));
      expect(lines.filter((l) => l.includes('poll failed'))).toHaveLength(1);
    } finally {
      unsubscribe();
      expect(events.active).toBe(false);
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('live event feed', () => {
  it('polls only while someone listens and forgets a client that went away', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'mp-dashboard-feed-'));
    const backend = await EmbeddedBackend.open({ database: `sqlite://${path.join(home, 'db.sqlite')}`, artifacts: path.join(home, 'artifacts') });
    const events = new LiveEvents(backend, { pollMs: 50 });
    const app = createApp({ backend, auth: null, events });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    try {
      expect(events.active).toBe(false);
      // HEAD answers the headers without subscribing (its body is never read, so nothing would unsubscribe).
      const head = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-type'), events.listeners]).toEqual([200, 'text/event-stream', 0]);
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { signal: abort.signal });
      const reader = res.body!.getReader();
      await reader.read();
      expect(events.listeners).toBe(1);
      expect(events.active).toBe(true);
      abort.abort();
      await reader.read().catch(() => undefined);
      for (let i = 0; i < 100 && events.listeners > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.listeners).toBe(0);
      expect(events.active).toBe(false);
    } finally {
      events.close();
      (server as import('node:http').Server).closeAllConnections();
      await new Promise((r) => server.close(r));
      await backend.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('GET /events on a running server', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'mp-dashboard-events-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  /** Reads a fetch body until `predicate` holds for the text so far (or the stream ends). */
  async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, predicate: (text: string) => boolean, start = ''): Promise<{ text: string; done: boolean }> {
    const decoder = new TextDecoder();
    let text = start;
    while (!predicate(text)) {
      const { value, done } = await reader.read();
      if (done) return { text, done: true };
      text += decoder.decode(value, { stream: true });
    }
    return { text, done: false };
  }

  it('streams stage changes made by another process on the same database, needs a key, and ends when the server closes', async () => {
    const database = `sqlite://${path.join(home, 'db.sqlite')}`;
    const artifacts = path.join(home, 'artifacts');
    const server = await startServer({ database, artifactStore: artifacts, port: 0, auth: true, closeGraceMs: 60_000 });
    // Another writer on the same database, as another process would be.
    const other = await EmbeddedBackend.open({ database, artifacts, actor: 'other-process' });
    try {
      const noKey = await fetch(`${server.url}/api/v1/events`);
      expect(noKey.status).toBe(401);
      expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('authentication_error');

      await other.createModel({ name: 'live' });
      const v = await other.createModelVersion({ model: 'live' });
      const res = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${server.adminKey}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.getReader();
      const hello = await readUntil(reader, (t) => t.includes(': connected'));
      // Let the feed read its starting position, then change a stage elsewhere.
      await new Promise((r) => setTimeout(r, 700));
      await other.updateModelVersion('live', v.number, { stage: 'staging', reason: 'looks good' });
      const got = await readUntil(reader, (t) => t.includes('event: stage_change'), hello.text);
      const event = await readUntil(reader, (t) => /event: stage_change\ndata: .*\n\n/.test(t), got.text);
      const data = JSON.parse(/event: stage_change\ndata: (.*)\n/.exec(event.text)![1]!) as { modelId: string; modelName: string; transition: Record<string, unknown> };
      expect(data.modelName).toBe('live');
      expect(data.transition).toMatchObject({ modelVersionId: v.id, fromStage: 'none', toStage: 'staging', actor: 'other-process', reason: 'looks good' });
      expect(typeof data.transition.createdAt).toBe('string');
      // New versions are announced too.
      await other.createModelVersion({ model: 'live', name: 'fresh' });
      const created = await readUntil(reader, (t) => /event: version_created\ndata: .*\n\n/.test(t), event.text);
      const announced = JSON.parse(/event: version_created\ndata: (.*)\n/.exec(created.text)![1]!) as Record<string, unknown>;
      expect(announced).toEqual({ modelId: data.modelId, modelName: 'live', versionId: expect.any(String), number: 2, name: 'fresh' });
      expect(created.text.match(/event: version_created/g)).toHaveLength(1);
      // The wire client also sees the stage holders.
      const http = new HttpBackend({ url: server.url, apiKey: server.adminKey! });
      expect((await http.getModel('live')).stagingVersion).toEqual({ id: v.id, number: 1, name: '1' });
      await http.close?.();

      // Shutdown with the stream still open must not wait for the grace period.
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(10_000);
      const rest = await readUntil(reader, () => false, '');
      expect(rest.done).toBe(true);
    } finally {
      await other.close();
      await server.close();
    }
  });
});
