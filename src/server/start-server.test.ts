import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../backend/embedded-backend.js';
import { HttpBackend } from '../backend/http-backend.js';
import { NotFoundError } from '../domain/errors.js';
import { startServer, type RunningServer } from './start-server.js';

let home: string;
let server: RunningServer;
let http: HttpBackend;
let direct: EmbeddedBackend;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'mp-start-server-'));
  const database = `sqlite://${path.join(home, 'db.sqlite')}`;
  const artifacts = path.join(home, 'artifacts');
  server = await startServer({ database, artifactStore: artifacts, port: 0, auth: true });
  http = new HttpBackend({ url: server.url, apiKey: server.adminKey! });
  // A second process-local view of the same store, to compare entities field by field.
  direct = await EmbeddedBackend.open({ database, artifacts });
});

afterAll(async () => {
  await direct?.close();
  await server?.close();
  await rm(home, { recursive: true, force: true });
});

describe('startServer + HttpBackend', () => {
  it('returns a generated admin key once; a restart on the same store returns null', async () => {
    expect(server.adminKey).toMatch(/^mp_/);
    const again = await startServer({ database: `sqlite://${path.join(home, 'db.sqlite')}`, artifactStore: path.join(home, 'artifacts'), port: 0, auth: true });
    expect(again.adminKey).toBeNull();
    await again.close();
  });

  it('returns entities that deep-equal what the embedded backend returns (dates, metadata, runs)', async () => {
    const model = await http.createModel({ name: 'iris', license: 'MIT', tags: ['a'] });
    expect(model).toEqual(await direct.getModel('iris'));
    const mv = await http.createModelVersion({ model: 'iris', description: 'first' });
    await http.logMetadata({ type: 'model_version', id: mv.id }, { when: new Date('2026-01-02T03:04:05Z'), acc: 0.9, nested: { a: [1, 'x'] }, none: null });
    const viaHttp = await http.getModelVersion('iris', 1);
    expect(viaHttp).toEqual(await direct.getModelVersion('iris', 1));
    expect(viaHttp.runMetadata['when']!.value).toBeInstanceOf(Date);
    await http.updateModelVersion('iris', 1, { stage: 'production', reason: 'r' });
    expect(await http.getStageHistory('iris')).toEqual(await direct.getStageHistory('iris'));
    const at = new Date();
    expect(await http.getStageHolding('iris', 'production', at)).toEqual(await direct.getStageHolding('iris', 'production', at));
    const run = await http.createPipelineRun({ pipelineName: 'train', parameters: { lr: 0.1 }, modelVersionId: mv.id });
    const step = await http.createStepRun({ pipelineRunId: run.id, name: 's1', cacheKey: 'k1', modelVersionId: mv.id });
    const writer = await http.openBlobWriter();
    await writer.write('abc');
    await writer.write(new Uint8Array([1, 2, 3]));
    const blob = await writer.commit();
    const av = await http.createArtifactVersion({ name: 'weights', contentHash: blob.contentHash, materializer: 'bytes', dataType: 'Buffer', metadata: { rows: 3 }, producerRunId: run.id });
    expect(av).toEqual(await direct.getArtifactVersion(av.id));
    const finished = await http.finishStepRun(step.id, { status: 'completed', outputs: { out: av.id }, logs: 'hello\n' });
    expect(finished).toEqual(await direct.getStepRun(step.id));
    expect(await http.findCachedStepRun('k1')).toEqual(await direct.findCachedStepRun('k1'));
    expect(await http.findCachedStepRun('nope')).toBeNull();
    expect(await http.listStepRuns(run.id)).toEqual(await direct.listStepRuns(run.id));
    expect(await http.updatePipelineRun(run.id, { status: 'completed', ended: true })).toEqual(await direct.getPipelineRun(run.id));
    const reader = await http.openBlobReader(blob.contentHash);
    expect(reader.size).toBe(6);
    expect(Buffer.from(await reader.bytes()).toString('latin1')).toBe('abc\u0001\u0002\u0003');
    await expect(http.openBlobReader('f'.repeat(64))).rejects.toBeInstanceOf(NotFoundError);
    expect(await http.checkIntegrity()).toEqual([]);
  });

  it('aborting a blob writer leaves nothing behind, and a bad expected hash fails the commit', async () => {
    const w = await http.openBlobWriter();
    await w.write('partial');
    await w.abort();
    const w2 = await http.openBlobWriter();
    await w2.write('x');
    await expect(w2.commit('0'.repeat(64))).rejects.toThrow(/mismatch/);
  });

  it('close() lets an in-flight upload finish before the backend closes', async () => {
    const s = await startServer({ database: `sqlite://${path.join(home, 'db2.sqlite')}`, artifactStore: path.join(home, 'artifacts2'), port: 0, auth: false });
    const b = new HttpBackend({ url: s.url });
    const w = await b.openBlobWriter();
    await w.write(Buffer.alloc(1024 * 1024, 1));
    const closing = s.close();
    await new Promise((r) => setTimeout(r, 50));
    await w.write(Buffer.alloc(1024 * 1024, 2));
    const info = await w.commit();
    expect(info.size).toBe(2 * 1024 * 1024);
    await closing;
    await expect(b.getModel('x')).rejects.toThrow(/Cannot reach/);
  });
});
