/**
 * The backend contract: every rule of DESIGN.md §1 that needs no pipeline, written once against the
 * public SDK and run against every backend (embedded SQLite, embedded PostgreSQL, and later a server).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Client,
  EntityExistsError,
  Model,
  ModelStages,
  ModelplaneError,
  NotFoundError,
  StageConflictError,
  ValidationError,
  saveArtifact,
  logMetadata,
} from '../../src/index.js';

/** A fresh, empty registry for one test, and how to throw it away. */
export interface ContractTarget {
  client: Client;
  cleanup(): Promise<void>;
}

/** Makes a fresh registry whose client records `actor` as the actor of its writes. */
export type ContractFactory = (actor: string) => Promise<ContractTarget>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function expectError<T extends ModelplaneError>(promise: Promise<unknown>, cls: new (...args: never[]) => T, message?: RegExp): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${cls.name}`).toBeInstanceOf(cls);
  if (message) expect((error as Error).message).toMatch(message);
  return error as T;
}

/** Registers the contract suite for one backend. */
export function runBackendContract(label: string, factory: ContractFactory): void {
  describe(`backend contract: ${label}`, () => {
    let target: ContractTarget;
    let client: Client;

    beforeEach(async () => {
      target = await factory('alice');
      client = target.client;
    });
    afterEach(async () => {
      await target.cleanup();
    });

    describe('models', () => {
      it('registers a model with its card and tags, and finds it by name and id', async () => {
        const m = await client.createModel({
          name: 'iris_classifier',
          license: 'Apache 2.0',
          description: 'Classification model for the Iris dataset',
          audience: 'botanists',
          useCases: 'flower sorting',
          limitations: 'three species only',
          tradeOffs: 'speed over accuracy',
          ethics: 'none known',
          tags: ['classification', 'iris', 'classification'],
        });
        expect(m).toMatchObject({ name: 'iris_classifier', license: 'Apache 2.0', audience: 'botanists', useCases: 'flower sorting', tradeOffs: 'speed over accuracy', latestVersion: null });
        expect(m.tags).toEqual(['classification', 'iris']);
        expect((await client.getModel(m.id)).name).toBe('iris_classifier');
        expect((await client.getModel('iris_classifier')).id).toBe(m.id);
      });

      it('rejects a taken name with EntityExistsError and a missing model with NotFoundError', async () => {
        await client.createModel({ name: 'a' });
        await expectError(client.createModel({ name: 'a' }), EntityExistsError, /already exists/);
        const nf = await expectError(client.getModel('nope'), NotFoundError, /"nope" not found/);
        expect(nf.code).toBe('not_found');
        await expectError(client.deleteModel('nope'), NotFoundError);
        await expectError(client.updateModel('nope', { description: 'x' }), NotFoundError);
      });

      it('rejects bad names with a ValidationError that says what is wrong, and writes nothing', async () => {
        const cases: Array<[unknown, RegExp]> = [
          ['bad\nname', /control character/],
          ['tab\there', /control character/],
          ['a/b', /"\/"/],
          ['x'.repeat(256), /256 characters long; the limit is 255/],
          ['', /empty/],
          ['  ', /empty/],
          [42, /must be a string/],
        ];
        for (const [name, message] of cases) {
          await expectError(client.createModel({ name: name as string }), ValidationError, message);
        }
        await expectError(client.createModel({ name: 'ok', tags: ['bad\u0007tag'] }), ValidationError, /control character/);
        expect((await client.listModels()).total).toBe(0);
        expect((await client.createModel({ name: 'x'.repeat(255) })).name).toHaveLength(255);
      });

      it('updates fields, renames and edits tags', async () => {
        await client.createModel({ name: 'm', tags: ['a', 'b'] });
        const updated = await client.updateModel('m', { description: 'new', license: 'MIT', addTags: ['c'], removeTags: ['a'] });
        expect(updated).toMatchObject({ description: 'new', license: 'MIT', tags: ['b', 'c'] });
        const renamed = await client.updateModel('m', { name: 'm2' });
        expect(renamed.name).toBe('m2');
        await client.createModel({ name: 'other' });
        await expectError(client.updateModel('m2', { name: 'other' }), EntityExistsError);
        expect((await client.getModel('m2')).description).toBe('new');
      });

      it('lists with filters, sorting and pagination (total counts every match)', async () => {
        for (const [name, tags] of [
          ['iris-a', ['prod']],
          ['iris-b', []],
          ['wine', ['prod']],
          ['Iris-C', ['dev']],
        ] as const) {
          await client.createModel({ name, tags: [...tags] });
        }
        const all = await client.listModels();
        expect(all.total).toBe(4);
        expect(all.items.map((m) => m.name)).toEqual(['Iris-C', 'iris-a', 'iris-b', 'wine'].sort());
        const iris = await client.listModels({ filter: 'name~iris' });
        expect(iris.items.map((m) => m.name).sort()).toEqual(['Iris-C', 'iris-a', 'iris-b']);
        const prodIris = await client.listModels({ filter: 'name~iris and tag=prod' });
        expect(prodIris.items.map((m) => m.name)).toEqual(['iris-a']);
        expect((await client.listModels({ tag: 'prod' })).total).toBe(2);
        const page2 = await client.listModels({ sortBy: '-name', page: 2, size: 3 });
        expect(page2).toMatchObject({ total: 4, page: 2, size: 3 });
        expect(page2.items).toHaveLength(1);
        await expectError(client.listModels({ size: 5000 }), ValidationError, /1 to 1000/);
        await expectError(client.listModels({ filter: 'colour=red' }), ValidationError, /Unknown filter field "colour"/);
        await expectError(client.listModels({ sortBy: 'colour' }), ValidationError, /Cannot sort by/);
      });
    });

    describe('versions', () => {
      beforeEach(async () => {
        await client.createModel({ name: 'm' });
      });

      it('numbers versions 1, 2, 3 — named versions consume numbers too', async () => {
        const v1 = await client.createModelVersion({ model: 'm' });
        const named = await client.createModelVersion({ model: 'm', name: '1.0.5', description: 'first release', tags: ['rc'] });
        const v3 = await client.createModelVersion({ model: 'm' });
        expect([v1.number, v1.name]).toEqual([1, '1']);
        expect([named.number, named.name, named.description, named.tags]).toEqual([2, '1.0.5', 'first release', ['rc']]);
        expect([v3.number, v3.name]).toEqual([3, '3']);
        expect(v1.stage).toBe('none');
        const model = await client.getModel('m');
        expect([model.latestVersion, model.latestVersionName]).toEqual([3, '3']);
      });

      it('rejects all-digit and stage names, duplicates, and versions of a missing model', async () => {
        await expectError(client.createModelVersion({ model: 'm', name: '42' }), ValidationError, /all digits/);
        for (const stage of ['production', 'staging', 'archived', 'latest', 'none', 'Production']) {
          await expectError(client.createModelVersion({ model: 'm', name: stage }), ValidationError, /stage name/);
        }
        await expectError(client.createModelVersion({ model: 'm', name: 'a/b' }), ValidationError);
        await client.createModelVersion({ model: 'm', name: 'v1' });
        await expectError(client.createModelVersion({ model: 'm', name: 'v1' }), EntityExistsError, /already has a version named "v1"/);
        await expectError(client.createModelVersion({ model: 'ghost' }), NotFoundError, /"ghost" not found/);
        // Only the one valid create wrote anything.
        expect((await client.listModelVersions({ model: 'm' })).total).toBe(1);
      });

      it('resolves every version selector', async () => {
        const v1 = await client.createModelVersion({ model: 'm' });
        const v2 = await client.createModelVersion({ model: 'm', name: 'blue' });
        const v3 = await client.createModelVersion({ model: 'm' });
        const v4 = await client.createModelVersion({ model: 'm' });
        await client.updateModelVersion('m', 1, { stage: 'staging' });
        await client.updateModelVersion('m', 2, { stage: 'production' });
        await client.updateModelVersion('m', 3, { stage: 'archived' });
        await sleep(5);
        await client.updateModelVersion('m', 4, { stage: 'archived' });
        const get = async (sel?: string | number) => (await client.getModelVersion('m', sel)).id;
        expect(await get()).toBe(v4.id);
        expect(await get(1)).toBe(v1.id);
        expect(await get('3')).toBe(v3.id);
        expect(await get('blue')).toBe(v2.id);
        expect(await get(v3.id)).toBe(v3.id);
        expect(await get(ModelStages.LATEST)).toBe(v4.id);
        expect(await get(ModelStages.STAGING)).toBe(v1.id);
        expect(await get(ModelStages.PRODUCTION)).toBe(v2.id);
        expect(await get(ModelStages.ARCHIVED)).toBe(v4.id); // the one archived last
        await expectError(client.getModelVersion('m', 99), NotFoundError, /no version 99/);
        await expectError(client.getModelVersion('m', 'green'), NotFoundError);
        await client.updateModelVersion('m', 1, { stage: 'none' });
        await expectError(client.getModelVersion('m', 'staging'), NotFoundError, /no staging version/);
        await expectError(client.getModelVersion('m', 0), ValidationError);
        await expectError(client.getModelVersion('ghost', 1), NotFoundError);
      });

      it('the Model class resolves selectors lazily and pins what it resolved', async () => {
        const v1 = await client.createModelVersion({ model: 'm' });
        await client.createModelVersion({ model: 'm' });
        await client.updateModelVersion('m', 1, { stage: 'production' });
        const prod = new Model({ name: 'm', version: ModelStages.PRODUCTION, client });
        expect((await prod.getVersion()).id).toBe(v1.id);
        await client.updateModelVersion('m', 2, { stage: 'production', force: true });
        expect((await prod.getVersion()).id).toBe(v1.id);
        expect((await prod.getVersion()).stage).toBe('archived');
        expect((await new Model({ name: 'm', version: 'production', client }).getVersion()).number).toBe(2);

        // A name is get-or-create; a new Model without version creates one version, once.
        const named = new Model({ name: 'm', version: 'exp-1', client, tags: ['t'] });
        const created = await named.getVersion();
        expect([created.number, created.name, created.tags]).toEqual([3, 'exp-1', ['t']]);
        expect((await new Model({ name: 'm', version: 'exp-1', client }).getVersion()).id).toBe(created.id);
        const fresh = new Model({ name: 'm', client });
        expect((await fresh.getVersion()).number).toBe(4);
        expect((await fresh.getVersion()).number).toBe(4);
        // It also creates a missing model, with the card given.
        const auto = await new Model({ name: 'brand-new', license: 'MIT', client }).getVersion();
        expect(auto.number).toBe(1);
        expect((await client.getModel('brand-new')).license).toBe('MIT');
        // Templates render; run placeholders need a run.
        const dated = await new Model({ name: 'm', version: 'nightly-{date}-{team}', substitutions: { team: 'vision' }, client }).getVersion();
        expect(dated.name).toMatch(/^nightly-\d{4}_\d{2}_\d{2}-vision$/);
        await expectError(new Model({ name: 'm', version: '{nope}', client }).getVersion(), ValidationError, /Unknown placeholder/);
        await expectError(new Model({ name: 'm', version: 'run-{run.id[:8]}', client }).getVersion(), ValidationError, /needs a pipeline run/);
        await expectError(new Model({ name: 'm', version: 42, client }).getVersion(), NotFoundError);
        expect(() => new Model({ name: 'bad/name', client })).toThrow(ValidationError);
      });

      it('lists versions by stage, tag, name and filter, sorted and paginated', async () => {
        for (let i = 0; i < 12; i++) await client.createModelVersion({ model: 'm', ...(i % 3 === 0 ? { tags: ['gold'] } : {}) });
        await client.updateModelVersion('m', 5, { stage: 'production' });
        await client.updateModelVersion('m', 6, { stage: 'archived' });
        await client.updateModelVersion('m', 7, { stage: 'archived' });
        expect((await client.listModelVersions({ model: 'm' })).total).toBe(12);
        expect((await client.listModelVersions({ model: 'm', stage: 'archived' })).items.map((v) => v.number)).toEqual([6, 7]);
        expect((await client.listModelVersions({ model: 'm', tag: 'gold' })).items.map((v) => v.number)).toEqual([1, 4, 7, 10]);
        expect((await client.listModelVersions({ model: 'm', filter: 'number>=10' })).items.map((v) => v.number)).toEqual([10, 11, 12]);
        expect((await client.listModelVersions({ model: 'm', filter: 'stage=production or' }).catch((e: unknown) => e))).toBeInstanceOf(ValidationError);
        const desc = await client.listModelVersions({ model: 'm', sortBy: '-number', size: 5, page: 1 });
        expect(desc.items.map((v) => v.number)).toEqual([12, 11, 10, 9, 8]);
        expect(desc.total).toBe(12);
        await expectError(client.listModelVersions({ model: 'm', stage: 'prod' }), ValidationError, /Unknown stage/);
      });

      it('updates name, description and tags of a version', async () => {
        await client.createModelVersion({ model: 'm', tags: ['a'] });
        const v = await client.updateModelVersion('m', 1, { name: 'gold', description: 'd', addTags: ['b'], removeTags: ['a'] });
        expect([v.name, v.description, v.tags]).toEqual(['gold', 'd', ['b']]);
        await expectError(client.updateModelVersion('m', 'gold', { name: '7' }), ValidationError);
        expect((await client.getModelVersion('m', 'gold')).number).toBe(1);
      });
    });

    describe('stages', () => {
      beforeEach(async () => {
        await client.createModel({ name: 'm' });
        for (let i = 0; i < 4; i++) await client.createModelVersion({ model: 'm' });
      });

      it('keeps staging and production exclusive; without force a conflict names the holder and changes nothing', async () => {
        for (const stage of ['staging', 'production'] as const) {
          await client.updateModelVersion('m', 1, { stage });
          const err = await expectError(client.updateModelVersion('m', 2, { stage }), StageConflictError, new RegExp(`Version 1 \\("1"\\) of model "m" already holds ${stage}.*force`));
          expect(err.code).toBe('stage_conflict');
          expect(err.details).toMatchObject({ holderNumber: 1, stage });
          expect((await client.getModelVersion('m', 1)).stage).toBe(stage);
          expect((await client.getModelVersion('m', 2)).stage).toBe('none');
          await client.updateModelVersion('m', 1, { stage: 'none' });
        }
      });

      it('with force moves the holder to archived in the same transaction and records the displaced version', async () => {
        await client.updateModelVersion('m', 1, { stage: 'production', reason: 'first' });
        const v2 = await client.updateModelVersion('m', 2, { stage: 'production', force: true, reason: 'better accuracy' });
        expect(v2.stage).toBe('production');
        expect((await client.getModelVersion('m', 1)).stage).toBe('archived');
        expect((await client.listModelVersions({ model: 'm', stage: 'production' })).total).toBe(1);
        const history = await client.getStageHistory('m');
        expect(history).toHaveLength(2);
        expect(history[1]).toMatchObject({
          versionNumber: 2,
          fromStage: 'none',
          toStage: 'production',
          displacedVersionNumber: 1,
          actor: 'alice',
          reason: 'better accuracy',
        });
        expect(history[1]!.displacedVersionId).toBe((await client.getModelVersion('m', 1)).id);
        expect(history[0]).toMatchObject({ versionNumber: 1, toStage: 'production', displacedVersionId: null, reason: 'first' });
        expect(history[1]!.createdAt).toBeInstanceOf(Date);
        expect(history[1]!.id).toBeGreaterThan(history[0]!.id);
      });

      it('archived and none hold any number of versions; latest and unknown stages cannot be set', async () => {
        for (const n of [1, 2, 3]) await client.updateModelVersion('m', n, { stage: 'archived' });
        expect((await client.listModelVersions({ model: 'm', stage: 'archived' })).total).toBe(3);
        await expectError(client.updateModelVersion('m', 4, { stage: 'latest' }), ValidationError, /virtual/);
        await expectError(client.updateModelVersion('m', 4, { stage: 'prod' }), ValidationError, /Unknown stage "prod"/);
        await expectError(new Model({ name: 'm', version: 4, client }).setStage('latest' as never), ValidationError);
        expect((await client.getModelVersion('m', 4)).stage).toBe('none');
        expect(await client.getStageHistory('m')).toHaveLength(3);
      });

      it('records every transition with actor and reason; setting the stage a version has records nothing', async () => {
        const latest = new Model({ name: 'm', version: ModelStages.LATEST, client });
        await latest.setStage(ModelStages.STAGING, { reason: 'candidate' });
        await latest.setStage(ModelStages.STAGING);
        await latest.setStage(ModelStages.PRODUCTION, { reason: 'ship it' });
        const history = await client.getStageHistory('m');
        expect(history.map((t) => [t.versionNumber, t.fromStage, t.toStage, t.actor, t.reason])).toEqual([
          [4, 'none', 'staging', 'alice', 'candidate'],
          [4, 'staging', 'production', 'alice', 'ship it'],
        ]);
        expect((await client.getStageHistory('m', { stage: 'staging' })).length).toBe(2);
        expect((await client.getStageHistory('m', { stage: 'archived' })).length).toBe(0);
      });

      it('answers who held a stage at a past time', async () => {
        const t0 = new Date();
        await sleep(15);
        await client.updateModelVersion('m', 1, { stage: 'production' });
        await sleep(15);
        const t1 = new Date();
        await sleep(15);
        await client.updateModelVersion('m', 2, { stage: 'production', force: true });
        await sleep(15);
        const t2 = new Date();
        await sleep(15);
        await client.updateModelVersion('m', 2, { stage: 'archived' });
        const at = async (stage: 'production' | 'archived', when: Date) => (await client.getStageHistory('m', { stage, at: when })).holder?.versionNumber ?? null;
        expect(await at('production', t0)).toBeNull();
        expect(await at('production', t1)).toBe(1);
        expect(await at('production', t2)).toBe(2);
        expect(await at('production', new Date())).toBeNull();
        expect(await at('archived', t2)).toBe(1);
        const now = await client.getStageHistory('m', { stage: 'archived', at: new Date() });
        expect(now.holder?.versionNumber).toBe(2);
        expect(now.holders.map((h) => h.versionNumber)).toEqual([2, 1]);
        const iso = await client.getStageHistory('m', { stage: 'production', at: t1.toISOString() });
        expect(iso.holder?.versionNumber).toBe(1);
        await expectError(client.getStageHistory('m', { stage: 'production', at: 'yesterday-ish' }), ValidationError);
      });
    });

    describe('metadata', () => {
      beforeEach(async () => {
        await client.createModel({ name: 'm' });
        await client.createModelVersion({ model: 'm' });
      });

      it('appends, newest value per key wins, nested values read through .value', async () => {
        await client.logMetadata({ metadata: { evaluation_metrics: { accuracy: 0.9, precision: 0.8, recall: 0.7 }, epochs: 3 }, modelName: 'm', modelVersion: 1 });
        await client.logMetadata({ metadata: { evaluation_metrics: { accuracy: 0.95, precision: 0.85, recall: 0.75, per_class: { setosa: 1 } } }, modelName: 'm', modelVersion: 'latest' });
        const mv = await client.getModelVersion('m', 1);
        const metrics = mv.runMetadata['evaluation_metrics']!.value as { accuracy: number; per_class: { setosa: number } };
        expect(metrics.accuracy).toBe(0.95);
        expect(metrics.per_class.setosa).toBe(1);
        expect(mv.runMetadata['evaluation_metrics']!.type).toBe('dict');
        expect(mv.runMetadata['epochs']).toMatchObject({ value: 3, type: 'int' });
        expect(mv.runMetadata['epochs']!.createdAt).toBeInstanceOf(Date);
        await new Model({ name: 'm', version: 1, client }).logMetadata({ epochs: 4, lr: 0.01, name: 'x', ok: true, none: null, list: [1, 'a'], when: new Date('2026-01-02T03:04:05Z') });
        const again = (await client.getModelVersion('m', 1)).runMetadata;
        expect(Object.fromEntries(Object.entries(again).map(([k, e]) => [k, e.type]))).toMatchObject({ epochs: 'int', lr: 'float', name: 'string', ok: 'boolean', none: 'null', list: 'list', when: 'datetime' });
        expect(again['epochs']!.value).toBe(4);
        expect((again['when']!.value as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
        await logMetadata({ metadata: { via: 'function' }, modelVersionId: mv.id, client });
        expect((await client.getModelVersion('m', 1)).runMetadata['via']!.value).toBe('function');
      });

      it('rejects values that are not JSON or over 1 MB, and calls without a target; nothing is written', async () => {
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic['self'] = cyclic;
        const bad: Array<[Record<string, unknown>, RegExp]> = [
          [{ big: 'x'.repeat(1024 * 1024 + 10) }, /limit is 1 MB/],
          [{ fn: () => 1 }, /function.*not JSON-serializable/],
          [{ ok: 1, cyc: cyclic }, /cyclic/],
          [{ m: new Map([[1, 2]]) }, /Map.*not JSON-serializable/],
          [{ n: Number.NaN }, /NaN/],
          [{ b: 10n }, /bigint/],
          [{ u: undefined }, /undefined/],
          [{ s: Symbol('x') }, /symbol/],
          [{}, /at least one key/],
        ];
        for (const [metadata, message] of bad) {
          await expectError(client.logMetadata({ metadata, modelName: 'm', modelVersion: 1 }), ValidationError, message);
        }
        await expectError(client.logMetadata({ metadata: { a: 1 } }), ValidationError, /needs a target/);
        await expectError(client.logMetadata({ metadata: { a: 1 }, inferModel: true }), ValidationError, /inside a running step/);
        await expectError(client.logMetadata({ metadata: { a: 1 }, modelName: 'm' }), ValidationError, /modelVersion/);
        await expectError(client.logMetadata({ metadata: { a: 1 }, modelName: 'ghost', modelVersion: 1 }), NotFoundError);
        expect((await client.getModelVersion('m', 1)).runMetadata).toEqual({});
      });

      it('attaches metadata to artifact versions and runs', async () => {
        await client.saveArtifact('dataset', [1, 2, 3]);
        await client.logMetadata({ metadata: { rows: 3 }, artifactName: 'dataset' });
        expect((await client.getArtifactVersion('dataset')).runMetadata['rows']!.value).toBe(3);
        const run = await (await client.backend()).createPipelineRun({ pipelineName: 'p' });
        await client.logMetadata({ metadata: { duration: 1.5 }, runId: run.id });
        expect((await client.getPipelineRun(run.id)).runMetadata['duration']!.value).toBe(1.5);
        await expectError(client.logMetadata({ metadata: { a: 1 }, runId: run.id, artifactName: 'dataset' }), ValidationError, /several targets/);
      });
    });

    describe('artifacts', () => {
      it('numbers artifact versions per name and orders them numerically (10 after 9)', async () => {
        for (let i = 1; i <= 11; i++) await client.saveArtifact('series', { i });
        const latest = await client.getArtifactVersion('series');
        expect(latest.version).toBe(11);
        expect(await client.loadArtifact('series')).toEqual({ i: 11 });
        expect(await client.loadArtifact('series', 9)).toEqual({ i: 9 });
        const listed = await client.listArtifactVersions({ name: 'series' });
        expect(listed.total).toBe(11);
        expect(listed.items.map((a) => a.version)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        await expectError(client.saveArtifact('series', 1, { version: 3 }), EntityExistsError, /already has a version 3/);
        expect((await client.saveArtifact('series', 'x', { version: 20 })).version).toBe(20);
        expect((await client.saveArtifact('series', 'y')).version).toBe(21);
        await expectError(client.getArtifactVersion('series', 99), NotFoundError, /no version 99/);
        await expectError(client.getArtifactVersion('nothing'), NotFoundError);
      });

      it('stores identical bytes once, and round-trips typed values', async () => {
        const a = await client.saveArtifact('a', { weights: [0.1, 0.2] });
        const b = await client.saveArtifact('b', { weights: [0.1, 0.2] });
        expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
        expect(b.contentHash).toBe(a.contentHash);
        expect(b.uri).toBe(a.uri);
        const f32 = await client.saveArtifact('f32', new Float32Array([1.5, 2.5]));
        expect(f32).toMatchObject({ materializer: 'typed-array', dataType: 'Float32Array', size: 8, type: 'data' });
        const loaded = await client.loadArtifact('f32');
        expect(loaded).toBeInstanceOf(Float32Array);
        expect(Array.from(loaded as Float32Array)).toEqual([1.5, 2.5]);
        const rows = [
          { sepal: 5.1, species: 'setosa' },
          { sepal: 6.2, species: 'virginica' },
        ];
        await client.saveArtifact('table', rows);
        expect(await client.loadArtifact('table')).toEqual(rows);
        const when = new Date('2026-01-01T00:00:00Z');
        await client.saveArtifact('when', when);
        expect(await client.loadArtifact('when')).toEqual(when);
        const buf = await client.saveArtifact('buf', Buffer.from('hello'));
        expect(Buffer.isBuffer(await client.loadArtifact(buf.id))).toBe(true);
      });

      it('refuses values with no materializer and bad names, writing no artifact version', async () => {
        class Opaque {
          x = 1;
        }
        await expectError(client.saveArtifact('o', new Opaque()), ValidationError, /Opaque.*registerMaterializer/s);
        await expectError(client.saveArtifact('bad/name', 1), ValidationError);
        await expectError(client.saveArtifact('t', 1, { artifactType: 'weights' as never }), ValidationError, /Unknown artifact type/);
        expect((await client.listArtifactVersions()).total).toBe(0);
      });

      it('links artifacts to model versions idempotently and finds them by group', async () => {
        await client.createModel({ name: 'm' });
        const model = new Model({ name: 'm', client });
        const mv = await model.getVersion();
        const trained = await saveArtifact('trained_model', { w: 1 }, { isModelArtifact: true, model });
        await saveArtifact('trained_model', { w: 2 }, { isModelArtifact: true, model });
        await saveArtifact('dataset', [1, 2], { model });
        await saveArtifact('endpoint', { url: 'http://x' }, { isDeploymentArtifact: true, model });
        await model.linkArtifact(trained);
        await model.linkArtifact(trained.id);
        expect((await client.listArtifactVersions({ modelVersionId: mv.id })).total).toBe(4);
        expect((await client.listArtifactVersions({ modelVersionId: mv.id, type: 'model' })).total).toBe(2);
        expect(await model.getModelArtifact('trained_model').load()).toEqual({ w: 2 });
        expect(await model.getModelArtifact('trained_model', 1).load()).toEqual({ w: 1 });
        expect((await model.getDataArtifact('dataset').resolve()).type).toBe('data');
        expect(await model.getDeploymentArtifact('endpoint').load()).toEqual({ url: 'http://x' });
        expect(await model.loadArtifact('dataset')).toEqual([1, 2]);
        await expectError(model.getDataArtifact('trained_model').resolve(), NotFoundError, /Model "m" version 1 \("1"\) has no data artifact "trained_model"/);
        await expectError(model.getModelArtifact('missing').load(), NotFoundError, /"m".*version 1.*"missing"/);
        // A lazy ref is not resolved until asked.
        const lazy = new Model({ name: 'm', version: 'production', client }).getModelArtifact('trained_model');
        expect(lazy.name).toBe('trained_model');
        await expectError(lazy.resolve(), NotFoundError, /no production version/);
      });
    });

    describe('deletion', () => {
      it('deleting a model deletes its versions, links, metadata and history; artifacts and runs stay', async () => {
        await client.createModel({ name: 'm' });
        const model = new Model({ name: 'm', client });
        const mv = await model.getVersion();
        await model.logMetadata({ accuracy: 0.9 });
        await model.setStage('production');
        const art = await saveArtifact('weights', [1, 2, 3], { model, isModelArtifact: true });
        const backend = await client.backend();
        const run = await backend.createPipelineRun({ pipelineName: 'train', modelVersionId: mv.id });
        await client.deleteModel('m');
        await expectError(client.getModel('m'), NotFoundError);
        await expectError(backend.getModelVersionById(mv.id), NotFoundError);
        expect(await client.loadArtifact(art.id)).toEqual([1, 2, 3]);
        expect((await client.getPipelineRun(run.id)).pipelineName).toBe('train');
        expect((await client.listArtifactVersions({ modelVersionId: mv.id })).total).toBe(0);
        // A new model of the same name starts clean: no versions, no history, no metadata.
        await client.createModel({ name: 'm' });
        expect(await client.getStageHistory('m')).toEqual([]);
        const fresh = await client.createModelVersion({ model: 'm' });
        expect([fresh.number, fresh.runMetadata]).toEqual([1, {}]);
        expect(await backend.checkIntegrity()).toEqual([]);
      });

      it('deleting a version deletes its links and metadata, keeps artifacts and the stage history', async () => {
        await client.createModel({ name: 'm' });
        const v1 = await client.createModelVersion({ model: 'm' });
        const v2 = await client.createModelVersion({ model: 'm' });
        await client.updateModelVersion('m', 1, { stage: 'staging' });
        await client.logMetadata({ metadata: { a: 1 }, modelVersionId: v1.id });
        const art = await client.saveArtifact('weights', [1], { modelVersionId: v1.id });
        await client.deleteModelVersion(v1.id);
        await expectError(client.getModelVersion('m', 1), NotFoundError);
        await expectError(client.deleteModelVersion(v1.id), NotFoundError);
        expect((await client.getArtifactVersion(art.id)).name).toBe('weights');
        expect((await client.listArtifactVersions({ modelVersionId: v1.id })).total).toBe(0);
        const history = await client.getStageHistory('m');
        expect(history.map((t) => t.modelVersionId)).toEqual([v1.id]);
        expect((await client.getModel('m')).latestVersion).toBe(2);
        expect((await client.getModelVersion('m')).id).toBe(v2.id);
        // Stage freed by the deletion can be taken without force.
        expect((await client.updateModelVersion('m', 2, { stage: 'staging' })).stage).toBe('staging');
      });
    });
  });
}
