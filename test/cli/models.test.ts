/**
 * `modelplane model register | list | describe | update | delete` against a temporary store seeded
 * (and checked) through the SDK.
 */
import { rmSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.js';
import { cli, cliOnTty, ensureBuilt, HAVE_SCRIPT, json, stripAnsi, tempHome } from './helpers.js';

let home: string;
let client: Client;
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  client = new Client({ home, actor: 'seeder' });
  for (const [name, tags] of [
    ['alpha', ['prod', 'tabular']],
    ['beta', ['tabular']],
    ['gamma', []],
  ] as const) {
    await client.createModel({ name, license: 'MIT', description: `the ${name} model`, tags: [...tags] });
  }
  await client.createModelVersion({ model: 'alpha' });
  await client.createModelVersion({ model: 'alpha', name: '1.0.5' });
  await client.updateModelVersion('alpha', 1, { stage: 'production' });
});

afterAll(async () => {
  await client.close();
  rmSync(home, { recursive: true, force: true });
});

describe('model register', () => {
  it('works exactly as the specification shows, with every card field and tags', async () => {
    const r = await cli(['model', 'register', 'iris_classifier', '--license=Apache 2.0', '--description=Classification model for the Iris dataset'], { home });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Registered model "iris_classifier" \(id [0-9a-f-]{36}\)\.\n$/);
    const m = await client.getModel('iris_classifier');
    expect(m).toMatchObject({ license: 'Apache 2.0', description: 'Classification model for the Iris dataset', tags: [] });

    const full = await cli(
      ['model', 'register', 'card', '--license', 'MIT', '--description', 'd', '--audience', 'a', '--use-cases', 'u', '--limitations', 'l', '--trade-offs', 't', '--ethics', 'e', '--tag', 'x', '--tag', 'y', '--output', 'json'],
      { home },
    );
    expect(full.code).toBe(0);
    const created = json<Record<string, unknown>>(full);
    expect(created).toEqual(plain(await client.getModel('card')));
    expect(created).toMatchObject({ license: 'MIT', description: 'd', audience: 'a', useCases: 'u', limitations: 'l', tradeOffs: 't', ethics: 'e', tags: ['x', 'y'] });
  });

  it('a taken name or an invalid name fails with one line, exit 1, and writes nothing', async () => {
    const taken = await cli(['model', 'register', 'alpha'], { home });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^error: .*"alpha".*\n$/);
    const invalid = await cli(['model', 'register', 'a/b'], { home });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^error: [^\n]+\n$/);
    await expect(client.getModel('a/b')).rejects.toThrow();
  });
});

describe('model list', () => {
  it('table by default, also when piped', async () => {
    const r = await cli(['model', 'list'], { home });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+LATEST\s+PRODUCTION\s+STAGING\s+LICENSE\s+TAGS\s+UPDATED\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['alpha', 'beta', 'card', 'gamma', 'iris_classifier']);
    expect(lines[1]).toMatch(/^alpha\s+2\s+1\s+-\s+MIT\s+prod, tabular\s/);
  });

  it('json, yaml and csv give the SDK page', async () => {
    const expected = plain(await client.listModels());
    const [j, y, c] = await Promise.all([cli(['model', 'list', '-o', 'json'], { home }), cli(['model', 'list', '--output', 'yaml'], { home }), cli(['model', 'list', '--output=csv'], { home })]);
    expect(json(j)).toEqual(expected);
    expect(parseYaml(y.stdout)).toEqual(expected);
    const rows = c.stdout.trimEnd().split('\n');
    // Stage holders (productionVersion, stagingVersion) follow as flattened columns.
    expect(rows[0]).toBe('id,name,license,description,audience,useCases,limitations,tradeOffs,ethics,tags,createdAt,updatedAt,latestVersion,latestVersionId,latestVersionName,productionVersion.id,productionVersion.number,productionVersion.name,stagingVersion');
    expect(rows).toHaveLength(expected.items.length + 1);
    expect(rows[1]).toContain(',alpha,MIT,the alpha model,,,,,,prod;tabular,');
    expect(rows[1]).toContain(expected.items[0].createdAt);
  });

  it('--filter, --sort, --page and --size go to the SDK', async () => {
    const filtered = json<{ items: Array<{ name: string }>; total: number }>(await cli(['model', 'list', '--filter', 'tag=tabular and name~a', '--output', 'json'], { home }));
    expect(filtered.items.map((m) => m.name)).toEqual(['alpha', 'beta']);
    const sorted = json<{ items: Array<{ name: string }> }>(await cli(['model', 'list', '--sort', '-name', '-o', 'json'], { home }));
    expect(sorted.items.map((m) => m.name)).toEqual(['iris_classifier', 'gamma', 'card', 'beta', 'alpha']);
    const paged = json<{ items: Array<{ name: string }>; total: number; page: number; size: number }>(await cli(['model', 'list', '--page', '2', '--size', '2', '-o', 'json'], { home }));
    expect(paged).toMatchObject({ total: 5, page: 2, size: 2 });
    expect(paged.items.map((m) => m.name)).toEqual(['card', 'gamma']);

    const table = await cli(['model', 'list', '--page', '2', '--size', '2'], { home });
    expect(table.stdout).toContain('3–4 of 5 models (page 2 of 3; see --page and --size)');
    const past = await cli(['model', 'list', '--page', '9'], { home });
    expect(past.stdout).toBe('No models on page 9: 5 models in 1 page(s) of 50.\n');
    const none = await cli(['model', 'list', '--filter', 'name=zzz'], { home });
    expect(none).toMatchObject({ code: 0, stdout: 'No models found.\n' });
  });

  it('a bad filter or sort field is a one-line error', async () => {
    const filter = await cli(['model', 'list', '--filter', 'colour=red'], { home });
    expect(filter.code).toBe(1);
    expect(filter.stderr).toMatch(/^error: Unknown filter field "colour": use one of [^\n]+\n$/);
    const sort = await cli(['model', 'list', '--sort', 'size'], { home });
    expect(sort.code).toBe(1);
    expect(sort.stderr).toMatch(/^error: Cannot sort by "size"[^\n]+\n$/);
  });
});

describe('model describe', () => {
  it('shows the card, tags, stage holders and versions', async () => {
    const r = await cli(['model', 'describe', 'alpha'], { home });
    expect(r.code).toBe(0);
    for (const line of [/^Model alpha$/m, /^ {2}license\s+MIT$/m, /^ {2}description\s+the alpha model$/m, /^ {2}tags\s+prod, tabular$/m, /^ {2}latest version\s+v2 \("1\.0\.5"\)$/m]) {
      expect(r.stdout).toMatch(line);
    }
    expect(r.stdout).toMatch(/^Stages\n {2}production\s+v1\n {2}staging\s+nobody$/m);
    expect(r.stdout).toMatch(/^Versions \(2\)\n {2}VERSION\s+NAME\s+STAGE.*\n {2}2\s+1\.0\.5\s+none.*\n {2}1\s+1\s+production/m);
  });

  it('json round-trips client.getModel; csv is field,value rows', async () => {
    const r = await cli(['model', 'describe', 'alpha', '--output', 'json'], { home });
    expect(json(r)).toEqual(plain(await client.getModel('alpha')));
    const csv = await cli(['model', 'describe', 'alpha', '-o', 'csv'], { home });
    expect(csv.stdout).toMatch(/^field,value\nid,[0-9a-f-]{36}\nname,alpha\nlicense,MIT\n/);
    expect(csv.stdout).toContain('\ntags,prod;tabular\n');
  });

  it('unknown model → exit 1, one line', async () => {
    const r = await cli(['model', 'describe', 'nope'], { home });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^error: Model "nope" not found\.[^\n]*\n$/);
  });
});

describe('model update', () => {
  it('renames, edits the card and changes tags', async () => {
    await client.createModel({ name: 'to_update', tags: ['old', 'keep'] });
    const r = await cli(['model', 'update', 'to_update', '--name', 'updated', '--description', 'new words', '--limitations', 'small data', '--tag', 'new', '--remove-tag', 'old'], { home });
    expect(r).toMatchObject({ code: 0, stdout: 'Updated model "updated".\n', stderr: '' });
    const m = await client.getModel('updated');
    expect(m).toMatchObject({ description: 'new words', limitations: 'small data' });
    expect([...m.tags].sort()).toEqual(['keep', 'new']);
    const j = await cli(['model', 'update', 'updated', '--ethics', 'fine', '-o', 'json'], { home });
    expect(json(j)).toEqual(plain(await client.getModel('updated')));
  });

  it('unknown model → exit 1', async () => {
    const r = await cli(['model', 'update', 'nope', '--license', 'x'], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Model "nope" not found\.[^\n]*\n$/);
  });
});

describe('model delete', () => {
  it('refuses without a terminal unless --yes', async () => {
    await client.createModel({ name: 'doomed' });
    await client.createModelVersion({ model: 'doomed' });
    const refused = await cli(['model', 'delete', 'doomed'], { home, input: 'y\n' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: refusing to delete model "doomed" without confirmation: stdin is not a terminal. Pass --yes to delete model "doomed" without being asked.\n');
    await expect(client.getModel('doomed')).resolves.toMatchObject({ name: 'doomed' });

    const done = await cli(['model', 'delete', 'doomed', '--yes'], { home });
    expect(done).toMatchObject({ code: 0, stdout: 'Deleted model "doomed" and its 1 version.\n' });
    await expect(client.getModel('doomed')).rejects.toThrow(/not found/);
  });

  it('unknown model → exit 1 before any question', async () => {
    const r = await cli(['model', 'delete', 'nope', '--yes'], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Model "nope" not found\.[^\n]*\n$/);
  });

  it.skipIf(!HAVE_SCRIPT)('asks on a terminal: anything but yes keeps the model', async () => {
    await client.createModel({ name: 'asked' });
    const no = await cliOnTty(['model', 'delete', 'asked'], { home, input: 'n\n' });
    no.output = stripAnsi(no.output);
    expect(no.code).toBe(1);
    expect(no.output).toContain('Delete model "asked" and its 0 versions');
    expect(no.output).toContain('[y/N]');
    expect(no.output).toContain('error: aborted: did not delete model "asked".');
    await expect(client.getModel('asked')).resolves.toMatchObject({ name: 'asked' });

    const yes = await cliOnTty(['model', 'delete', 'asked'], { home, input: 'y\n' });
    expect(yes.code).toBe(0);
    expect(yes.output).toContain('Deleted model "asked" and its 0 versions.');
    await expect(client.getModel('asked')).rejects.toThrow(/not found/);
  });
});
