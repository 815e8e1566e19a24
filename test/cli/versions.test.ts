/**
 * `modelplane model version list | describe | update | delete | artifacts | runs | history | compare`
 * against a store seeded through the SDK (versions with nested metadata, artifacts of every group, a
 * pipeline run) in the same temporary home.
 */
import { rmSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Model, pipeline, step } from '../../src/index.js';
import { cli, ensureBuilt, json, tempHome } from './helpers.js';

let home: string;
let client: Client;
let runId: string;
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const M = 'iris';

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  client = new Client({ home, actor: 'seeder' });
  await client.createModel({ name: M, license: 'Apache 2.0' });
  // v1 and v2 by hand, with nested metrics; v3 named; v4 from a pipeline run.
  for (const [i, accuracy] of [0.9, 0.95].entries()) {
    const v = await client.createModelVersion({ model: M, description: `candidate ${i + 1}`, tags: i === 0 ? ['baseline'] : ['rc'] });
    await client.logMetadata({
      metadata: { evaluation_metrics: { accuracy, per_class: { setosa: 1, virginica: accuracy - 0.05 } }, params: { trees: 10 * (i + 1) }, framework: 'ml.js' },
      modelVersionId: v.id,
    });
    await client.saveArtifact('trained_model', { trees: 10 * (i + 1) }, { isModelArtifact: true, modelVersionId: v.id });
  }
  const v2 = await client.getModelVersion(M, 2);
  await client.saveArtifact('train_split', [{ a: 1 }, { a: 2 }], { modelVersionId: v2.id });
  await client.saveArtifact('feature_stats', { mean: 1.5 }, { artifactType: 'statistics', modelVersionId: v2.id });
  await client.saveArtifact('endpoint', { url: 'http://x' }, { isDeploymentArtifact: true, modelVersionId: v2.id, tags: ['live'] });
  await client.createModelVersion({ model: M, name: 'v3-named' });
  const train = step({ name: 'train', output: 'weights' }, async (n: number) => ({ n }));
  const training = pipeline({ name: 'iris_training', model: new Model({ name: M, client }), enableCache: false }, (p: { n: number }) => {
    train(p.n);
  });
  const previous = Client.setActive(client);
  try {
    runId = (await training({ n: 4 })).id;
  } finally {
    Client.setActive(previous);
  }
  await client.updateModelVersion(M, 1, { stage: 'production', reason: 'first' });
  await client.updateModelVersion(M, 2, { stage: 'staging' });
});

afterAll(async () => {
  await client.close();
  rmSync(home, { recursive: true, force: true });
});

describe('model version list', () => {
  it('lists versions as a table; --stage, --filter, --sort, paging', async () => {
    const r = await cli(['model', 'version', 'list', M], { home });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VERSION\s+NAME\s+STAGE\s+TAGS\s+CREATED\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(/^1\s+1\s+production\s+baseline\s+\S+\s+candidate 1$/);
    expect(lines[3]).toMatch(/^3\s+v3-named\s+none\s+-/);
    expect(lines).toHaveLength(5);

    const staging = json<{ items: Array<{ number: number }> }>(await cli(['model', 'version', 'list', M, '--stage', 'staging', '-o', 'json'], { home }));
    expect(staging.items.map((v) => v.number)).toEqual([2]);
    const filtered = json<{ items: Array<{ number: number }> }>(await cli(['model', 'version', 'list', M, '--filter', 'number>=2 and stage!=staging', '--sort', '-number', '-o', 'json'], { home }));
    expect(filtered.items.map((v) => v.number)).toEqual([4, 3]);
    const paged = json<{ items: Array<{ number: number }>; total: number }>(await cli(['model', 'version', 'list', M, '--size', '1', '--page', '3', '-o', 'json'], { home }));
    expect(paged).toMatchObject({ total: 4, items: [{ number: 3 }] });
  });

  it('json round-trips client.listModelVersions; unknown model → exit 1', async () => {
    const r = await cli(['model', 'version', 'list', M, '--output', 'json'], { home });
    expect(json(r)).toEqual(plain(await client.listModelVersions({ model: M })));
    const missing = await cli(['model', 'version', 'list', 'nope'], { home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: [^\n]*"nope"[^\n]*\n$/);
  });
});

describe('model version describe', () => {
  it('shows fields, tags, stage, the metadata tree, artifacts by group, runs and stage history', async () => {
    const r = await cli(['model', 'version', 'describe', M, '2'], { home });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Model iris, version 2\n {2}id\s+[0-9a-f-]{36}\n {2}model\s+iris \([0-9a-f-]{36}\)\n {2}number\s+2\n {2}name\s+2\n {2}stage\s+staging\n {2}description\s+candidate 2\n {2}tags\s+rc\n/);
    expect(out).toContain('Metadata\n  evaluation_metrics:\n    accuracy: 0.95\n    per_class:\n      setosa: 1\n      virginica: 0.8999999999999999\n  params:\n    trees: 20\n  framework: ml.js\n');
    expect(out).toMatch(/Model artifacts\n {2}NAME\s+VERSION\s+TYPE.*\n {2}trained_model\s+2\s+model\s/);
    expect(out).toMatch(/Data artifacts\n {2}NAME.*\n( {2}\S+\s+1\s+(data|statistics)\s.*\n){2}/);
    expect(out).toMatch(/Deployment artifacts\n {2}NAME.*\n {2}endpoint\s+1\s+deployment\s/);
    expect(out).toMatch(/Runs\n {2}none\n/);
    expect(out).toMatch(/Stage history\n {2}\S+Z {2}v2 {2}none → staging {2}by seeder\n?$/);

    const v4 = await cli(['model', 'version', 'describe', M, 'latest'], { home });
    expect(v4.stdout).toMatch(/^Model iris, version 4\n/);
    expect(v4.stdout).toMatch(new RegExp(`Runs\\n {2}ID\\s+PIPELINE\\s+STATUS\\s+STARTED\\s+DURATION\\n {2}${runId}\\s+iris_training\\s+completed\\s`));
    expect(v4.stdout).toMatch(/Model artifacts\n {2}none\n\nData artifacts\n {2}NAME.*\n {2}weights\s+1\s+data\s/);
    expect(v4.stdout).toContain('Metadata\n  none\n');
  });

  it('selects by number, name, stage or id; --output json parses to client.getModelVersion', async () => {
    for (const selector of ['1', 'production']) {
      const r = await cli(['model', 'version', 'describe', M, selector, '--output', 'json'], { home });
      expect(json(r)).toEqual(plain(await client.getModelVersion(M, selector)));
    }
    const named = json<{ number: number; id: string }>(await cli(['model', 'version', 'describe', M, 'v3-named', '-o', 'json'], { home }));
    expect(named.number).toBe(3);
    const byId = json(await cli(['model', 'version', 'describe', M, named.id, '-o', 'json'], { home }));
    expect(byId).toEqual(plain(await client.getModelVersion(M, 3)));
    const yaml = await cli(['model', 'version', 'describe', M, '2', '-o', 'yaml'], { home });
    expect(parseYaml(yaml.stdout)).toEqual(plain(await client.getModelVersion(M, 2)));
    const csv = await cli(['model', 'version', 'describe', M, '2', '-o', 'csv'], { home });
    expect(csv.stdout).toContain('\nrunMetadata.evaluation_metrics.accuracy,0.95\nrunMetadata.evaluation_metrics.per_class.setosa,1\n');
  });

  it('unknown version or model → exit 1, one line', async () => {
    const r = await cli(['model', 'version', 'describe', M, '99'], { home });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    const m = await cli(['model', 'version', 'describe', 'nope', '1'], { home });
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/^error: Model "nope" not found\.[^\n]*\n$/);
  });
});

describe('model version update', () => {
  it('a held stage is refused without --force, naming the holder and the flag', async () => {
    const r = await cli(['model', 'version', 'update', M, '3', '--stage', 'production'], { home });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('error: Version 1 ("1") of model "iris" already holds production. Use force (CLI: --force) to move it to archived and promote version 3.\n');
    expect((await client.getModelVersion(M, 3)).stage).toBe('none');
  });

  it('--force moves the holder to archived; --reason lands in the history', async () => {
    const r = await cli(['model', 'version', 'update', M, 'v3-named', '--stage', 'production', '--force', '--reason', 'beats v1 on accuracy'], { home });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('Updated iris v3 ("v3-named"): stage none → production; version 1 moved to archived.\n');
    expect((await client.getModelVersion(M, 1)).stage).toBe('archived');
    const last = (await client.getStageHistory(M)).at(-1)!;
    expect(last).toMatchObject({ versionNumber: 3, fromStage: 'none', toStage: 'production', displacedVersionNumber: 1, reason: 'beats v1 on accuracy', actor: 'cli-tester' });
  });

  it('renames, describes and tags; json gives the updated version', async () => {
    await client.updateModelVersion(M, 4, { addTags: ['old'] });
    const r = await cli(['model', 'version', 'update', M, '4', '--name', 'pipeline-4', '--description', 'from the pipeline', '--tag', 'auto', '--remove-tag', 'old', '-o', 'json'], { home });
    expect(r.code).toBe(0);
    const v = await client.getModelVersion(M, 4);
    expect(json(r)).toEqual(plain(v));
    expect(v).toMatchObject({ name: 'pipeline-4', description: 'from the pipeline', tags: ['auto'] });
    const invalid = await cli(['model', 'version', 'update', M, '4', '--name', '12'], { home });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^error: [^\n]+\n$/);
  });
});

describe('model version artifacts and runs', () => {
  it('lists the linked artifact versions, by group with --type', async () => {
    const all = json<{ items: Array<{ name: string; type: string }>; total: number }>(await cli(['model', 'version', 'artifacts', M, '2', '-o', 'json'], { home }));
    expect(all.items.map((a) => a.name).sort()).toEqual(['endpoint', 'feature_stats', 'train_split', 'trained_model']);
    const v2 = await client.getModelVersion(M, 2);
    expect(all).toEqual(plain(await client.listArtifactVersions({ modelVersionId: v2.id })));
    const byGroup = async (type: string) => json<{ items: Array<{ name: string }> }>(await cli(['model', 'version', 'artifacts', M, '2', '--type', type, '-o', 'json'], { home })).items.map((a) => a.name).sort();
    expect(await byGroup('model')).toEqual(['trained_model']);
    expect(await byGroup('data')).toEqual(['feature_stats', 'train_split']);
    expect(await byGroup('deployment')).toEqual(['endpoint']);

    const table = await cli(['model', 'version', 'artifacts', M, 'staging'], { home });
    expect(table.stdout).toMatch(/^NAME\s+VERSION\s+TYPE\s+SIZE\s+DATA TYPE\s+TAGS\s+CREATED\s+ID\n/);
    expect(table.stdout).toMatch(/\nendpoint\s+1\s+deployment\s+\d+ B\s+json\s+live\s/);
    const local = json<{ items: Array<{ name: string }> }>(await cli(['model', 'version', 'artifacts', M, '2', '--filter', 'type!=model and tag!=live', '--sort', '-name', '-o', 'json'], { home }));
    expect(local.items.map((a) => a.name)).toEqual(['train_split', 'feature_stats']);
    const bad = await cli(['model', 'version', 'artifacts', M, '2', '--type', 'statistics'], { home });
    expect(bad.code).toBe(2);
  });

  it('lists the runs of a version', async () => {
    const r = await cli(['model', 'version', 'runs', M, '4'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ID\\s+PIPELINE\\s+NAME\\s+STATUS\\s+STARTED\\s+DURATION\\n${runId}\\s+iris_training\\s+\\S+\\s+completed\\s`));
    const v4 = await client.getModelVersion(M, 4);
    expect(json(await cli(['model', 'version', 'runs', M, '4', '-o', 'json'], { home }))).toEqual(plain(await client.listPipelineRuns({ modelVersionId: v4.id })));
    const none = await cli(['model', 'version', 'runs', M, '1'], { home });
    expect(none.stdout).toBe('No runs found.\n');
  });
});

describe('model version history', () => {
  it('prints transitions: when, version, from → to, displaced, actor, reason', async () => {
    const r = await cli(['model', 'version', 'history', M], { home });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+VERSION\s+FROM → TO\s+DISPLACED\s+ACTOR\s+REASON$/);
    expect(lines[1]).toMatch(/^\S+Z\s+1\s+none → production\s+-\s+seeder\s+first$/);
    expect(lines[2]).toMatch(/^\S+Z\s+2\s+none → staging\s+-\s+seeder$/);
    expect(lines[3]).toMatch(/^\S+Z\s+3 \(v3-named\)\s+none → production\s+1\s+cli-tester\s+beats v1 on accuracy$/);

    const production = json<{ items: Array<{ versionNumber: number }> }>(await cli(['model', 'version', 'history', M, '--stage', 'production', '-o', 'json'], { home }));
    expect(production.items.map((t) => t.versionNumber)).toEqual([1, 3]);
    expect(production).toEqual(plain({ items: await client.getStageHistory(M, { stage: 'production' }), total: 2, page: 1, size: 50 }));
    const byActor = json<{ items: unknown[] }>(await cli(['model', 'version', 'history', M, '--filter', 'actor=cli-tester', '-o', 'json'], { home }));
    expect(byActor.items).toHaveLength(1);
  });

  it('--at tells who held the stage then', async () => {
    const history = await client.getStageHistory(M);
    // When v2 took staging, v1 held production (v3 took it over later, through the CLI).
    expect(history.map((t) => t.versionNumber)).toEqual([1, 2, 3]);
    const at = history[1]!.createdAt.toISOString();
    const r = await cli(['model', 'version', 'history', M, '--stage', 'production', '--at', at], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Stage holders at ${at.replace(/\.\d{3}Z$/, 'Z')}\\nSTAGE\\s+VERSION\\s+NAME\\s+SINCE\\nproduction\\s+1\\s+1\\s+\\S+Z\\n$`));

    const now = json<Array<{ stage: string; holder: { versionNumber: number } | null }>>(await cli(['model', 'version', 'history', M, '--at', new Date(Date.now() + 60_000).toISOString(), '-o', 'json'], { home }));
    expect(now.map((h) => [h.stage, h.holder?.versionNumber])).toEqual([
      ['production', 3],
      ['staging', 2],
    ]);
    const before = await cli(['model', 'version', 'history', M, '--at', '2001-01-01'], { home });
    expect(before.stdout).toMatch(/production\s+nobody\s+-\s+-\nstaging\s+nobody\s+-\s+-\n$/);
  });
});

describe('model version compare', () => {
  it('prints metadata side by side with numeric deltas', async () => {
    const r = await cli(['model', 'version', 'compare', M, '1', '2'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Model iris: v1 vs v2\n/);
    expect(r.stdout).toMatch(/ {2}stage\s+archived\s+staging\n/);
    expect(r.stdout).toMatch(/ {2}KEY\s+v1\s+v2\s+DELTA\n/);
    expect(r.stdout).toMatch(/ {2}evaluation_metrics\.accuracy\s+0\.9\s+0\.95\s+\+0\.05 \(\+5\.6%\)\n/);
    expect(r.stdout).toMatch(/ {2}evaluation_metrics\.per_class\.setosa\s+1\s+1\s+0\n/);
    expect(r.stdout).toMatch(/ {2}params\.trees\s+10\s+20\s+\+10 \(\+100\.0%\)\n/);
    expect(r.stdout).toMatch(/ {2}framework\s+ml\.js\s+ml\.js\s*\n/);

    const j = json<{ left: { number: number }; right: { number: number }; metadata: Array<{ key: string; left: unknown; right: unknown; delta: number | null }> }>(
      await cli(['model', 'version', 'compare', M, 'archived', 'staging', '-o', 'json'], { home }),
    );
    expect([j.left.number, j.right.number]).toEqual([1, 2]);
    expect(j.metadata.find((m) => m.key === 'params.trees')).toEqual({ key: 'params.trees', left: 10, right: 20, delta: 10 });
    expect(j.metadata.find((m) => m.key === 'framework')).toEqual({ key: 'framework', left: 'ml.js', right: 'ml.js', delta: null });

    const missing = await cli(['model', 'version', 'compare', M, '1', '3'], { home });
    expect(missing.stdout).toMatch(/ {2}params\.trees\s+10\s+-\s*\n/);
    const csv = await cli(['model', 'version', 'compare', M, '1', '2', '-o', 'csv'], { home });
    expect(csv.stdout).toContain('key,left,right,delta\nevaluation_metrics.accuracy,0.9,0.95,0.04999999999999993\n');
    const unknown = await cli(['model', 'version', 'compare', M, '1', '42'], { home });
    expect(unknown.code).toBe(1);
  });
});

describe('model version delete', () => {
  it('refuses without a terminal unless --yes; deletes by any selector', async () => {
    const v = await client.createModelVersion({ model: M, name: 'scratch' });
    const refused = await cli(['model', 'version', 'delete', M, 'scratch'], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: refusing to delete version v5 ("scratch") of model "iris" without confirmation: stdin is not a terminal. Pass --yes to delete version v5 ("scratch") of model "iris" without being asked.\n');
    const done = await cli(['model', 'version', 'delete', M, 'scratch', '-y'], { home });
    expect(done).toMatchObject({ code: 0, stdout: 'Deleted version v5 ("scratch") of model "iris".\n' });
    await expect(client.getModelVersion(M, v.id)).rejects.toThrow();
    const missing = await cli(['model', 'version', 'delete', M, 'scratch', '--yes'], { home });
    expect(missing.code).toBe(1);
  });
});
