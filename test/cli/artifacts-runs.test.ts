/**
 * `modelplane artifact list | describe | download | gc` and `modelplane run list | describe`
 * against a store seeded through the SDK (pipeline runs with steps, artifacts of several types and
 * sizes) in the same temporary home.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactConfig, Client, Model, pipeline, step, type ArtifactVersion } from '../../src/index.js';
import { cli, cliOnTty, ensureBuilt, HAVE_SCRIPT, json, stripAnsi, tempHome } from './helpers.js';

let home: string;
let out: string;
let client: Client;
let okRunId: string;
let failedRunId: string;
let big: ArtifactVersion;
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const BIG = 3 * 1024 * 1024;

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  out = tempHome('modelplane-cli-out-');
  client = new Client({ home, actor: 'seeder' });
  const previous = Client.setActive(client);
  try {
    const load = step({ name: 'load', output: 'rows' }, async () => [{ x: 1 }, { x: 2 }, { x: 3 }]);
    const train = step({ name: 'train', output: ArtifactConfig({ name: 'weights', isModelArtifact: true }) }, async (rows: Array<{ x: number }>, scale: number) => {
      console.log(`training on ${rows.length} rows`);
      return { w: rows.map((r) => r.x * scale) };
    });
    const training = pipeline({ name: 'training', model: new Model({ name: 'reg' }) }, (p: { scale: number }) => {
      train(load(), p.scale);
    });
    okRunId = (await training({ scale: 2 })).id;
    await training({ scale: 3 }); // `load` comes from the cache
    const broken = step({ name: 'broken' }, async (): Promise<number> => {
      throw new Error('no data today');
    });
    const failing = pipeline({ name: 'nightly' }, () => {
      broken();
    });
    failedRunId = (await failing().catch((e: { run?: { id: string } }) => e.run ?? null))?.id ?? (await client.listPipelineRuns({ pipeline: 'nightly' })).items[0]!.id;
  } finally {
    Client.setActive(previous);
  }
  big = await client.saveArtifact('blob', new Uint8Array(BIG).map((_, i) => (i * 7) % 256), { tags: ['large'] });
  await client.saveArtifact('report', { ok: true }, { artifactType: 'analysis', metadata: { pages: 3, summary: { score: 0.5 } } });
  await client.saveArtifact('report', { ok: false }, { artifactType: 'analysis' });
});

afterAll(async () => {
  await client.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('artifact list', () => {
  it('lists artifact versions by name, newest first; --name, --type', async () => {
    const r = await cli(['artifact', 'list'], { home });
    expect(r.code).toBe(0);
    const names = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(names).toEqual(['blob 1 data', 'report 2 analysis', 'report 1 analysis', 'rows 1 data', 'weights 2 model', 'weights 1 model']);
    expect(r.stdout).toMatch(/\nblob\s+1\s+data\s+3\.0 MB\s+Uint8Array\s+large\s/);

    const expected = plain(await client.listArtifactVersions({ name: 'report' }));
    expect(json(await cli(['artifact', 'list', '--name', 'report', '-o', 'json'], { home }))).toEqual(expected);
    const models = json<{ items: Array<{ name: string }> }>(await cli(['artifact', 'list', '--type', 'model', '-o', 'json'], { home }));
    expect(models.items.map((a) => a.name)).toEqual(['weights', 'weights']);
  });

  it('--filter and --sort apply the shared syntax; --page and --size page', async () => {
    const big = json<{ items: Array<{ name: string }>; total: number }>(await cli(['artifact', 'list', '--filter', 'size>1000000', '-o', 'json'], { home }));
    expect(big).toMatchObject({ total: 1, items: [{ name: 'blob' }] });
    const sorted = json<{ items: Array<{ name: string; version: number }> }>(await cli(['artifact', 'list', '--filter', 'name~e and type!=data', '--sort', 'version', '-o', 'json'], { home }));
    expect(sorted.items.map((a) => a.version)).toEqual([1, 1, 2, 2]);
    expect(sorted.items.map((a) => a.name).sort()).toEqual(['report', 'report', 'weights', 'weights']);
    const bySize = json<{ items: Array<{ name: string }> }>(await cli(['artifact', 'list', '--sort', '-size', '--size', '1', '-o', 'json'], { home }));
    expect(bySize.items.map((a) => a.name)).toEqual(['blob']);
    const paged = json<{ items: Array<{ name: string }>; total: number; page: number; size: number }>(await cli(['artifact', 'list', '--size', '2', '--page', '2', '-o', 'json'], { home }));
    expect(paged).toMatchObject({ total: 6, page: 2, size: 2 });
    expect(paged.items.map((a) => a.name)).toEqual(['report', 'rows']);
    const bad = await cli(['artifact', 'list', '--filter', 'type=weird'], { home });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: Filter on "type" must be one of [^\n]+\n$/);
    const csv = await cli(['artifact', 'list', '--name', 'report', '-o', 'csv'], { home });
    expect(csv.stdout.split('\n')[0]).toBe('id,artifactId,name,version,type,uri,contentHash,size,materializer,dataType,producerRunId,producerStepRunId,tags,createdAt,runMetadata.pages,runMetadata.summary.score');
  });
});

describe('artifact describe', () => {
  it('shows the newest version, or the one asked for, with metadata', async () => {
    const r = await cli(['artifact', 'describe', 'report', '1'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Artifact report, version 1\n/);
    expect(r.stdout).toMatch(/ {2}type\s+analysis\n/);
    expect(r.stdout).toMatch(/ {2}sha256\s+[0-9a-f]{64}\n/);
    expect(r.stdout).toContain('Metadata\n  pages: 3\n  summary:\n    score: 0.5\n');
    const newest = json(await cli(['artifact', 'describe', 'report', '-o', 'json'], { home }));
    expect(newest).toEqual(plain(await client.getArtifactVersion('report')));
    const byId = json(await cli(['artifact', 'describe', big.id, '--output', 'json'], { home }));
    expect(byId).toEqual(plain(big));

    const produced = await cli(['artifact', 'describe', 'weights', '1'], { home });
    expect(produced.stdout).toMatch(new RegExp(`producer\\s+run ${okRunId} \\(pipeline training, completed\\), step run [0-9a-f-]{36}\\n`));
  });

  it('unknown artifact or version → exit 1', async () => {
    for (const args of [['nope'], ['report', '9']]) {
      const r = await cli(['artifact', 'describe', ...args], { home });
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    }
  });
});

describe('artifact download', () => {
  it('writes the stored bytes to a file, and refuses to overwrite without --force', async () => {
    const file = path.join(out, 'blob.bin');
    const r = await cli(['artifact', 'download', 'blob', '--out', file], { home });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`Downloaded blob v1 (3.0 MB, data, Uint8Array) to ${file}.\n`);
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(BIG);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(big.contentHash);

    const again = await cli(['artifact', 'download', 'blob', '1', '--out', file], { home });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: ${file} already exists: pass --force to overwrite it.\n`);
    writeFileSync(file, 'old');
    const forced = await cli(['artifact', 'download', 'blob', '1', '--out', file, '--force'], { home });
    expect(forced.code).toBe(0);
    expect(readFileSync(file).length).toBe(BIG);
    expect(readdirSync(out).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('--out - streams to stdout; bad targets fail cleanly', async () => {
    const r = await cli(['artifact', 'download', 'report', '1', '--out', '-'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true });
    const noFolder = await cli(['artifact', 'download', 'report', '--out', path.join(out, 'missing', 'x.json')], { home });
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toMatch(/^error: cannot write .*: the folder .* does not exist\.\n$/);
    const folder = await cli(['artifact', 'download', 'report', '--out', out], { home });
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/^error: .* is a directory: give the path of the file to write/);
    const missing = await cli(['artifact', 'download', 'nope', '--out', path.join(out, 'nope')], { home });
    expect(missing.code).toBe(1);
    expect(existsSync(path.join(out, 'nope'))).toBe(false);
  });

  it.skipIf(!HAVE_SCRIPT)('shows a progress bar on a terminal for artifacts over 1 MB', async () => {
    const file = path.join(out, 'tty-blob.bin');
    const r = await cliOnTty(['artifact', 'download', 'blob', '--out', file], { home });
    expect(r.code).toBe(0);
    expect(stripAnsi(r.output)).toMatch(/blob v1 .*100% \| 3\.0 MB \/ 3\.0 MB/);
    expect(readFileSync(file).length).toBe(BIG);
    const small = await cliOnTty(['artifact', 'download', 'report', '--out', path.join(out, 'small.json')], { home });
    expect(small.code).toBe(0);
    expect(small.output).not.toContain('%');
  });
});

describe('artifact gc', () => {
  it('frees nothing that is referenced', async () => {
    const r = await cli(['artifact', 'gc'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Freed \d+ blobs? \([\d.]+ [KMG]?B\)\.\n$/);
    const j = json<{ deleted: number; bytesFreed: number }>(await cli(['artifact', 'gc', '-o', 'json'], { home }));
    expect(j).toEqual({ deleted: 0, bytesFreed: 0 });
    await expect(client.loadArtifact('blob')).resolves.toBeInstanceOf(Uint8Array);
  });
});

describe('run list', () => {
  it('lists runs newest first with their model version; --pipeline, --status, --filter', async () => {
    const r = await cli(['run', 'list'], { home });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+PIPELINE\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+MODEL VERSION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['nightly', 'training', 'training']);
    expect(lines[1]).toMatch(/\sfailed\s/);
    expect(lines[3]).toMatch(new RegExp(`^${okRunId}\\s+training\\s+\\S+\\s+completed\\s+\\S+\\s+\\S+\\s+reg v1$`));

    expect(json(await cli(['run', 'list', '--pipeline', 'training', '-o', 'json'], { home }))).toEqual(plain(await client.listPipelineRuns({ pipeline: 'training' })));
    const failed = json<{ items: Array<{ id: string }> }>(await cli(['run', 'list', '--status', 'failed', '-o', 'json'], { home }));
    expect(failed.items.map((x) => x.id)).toEqual([failedRunId]);
    const filtered = json<{ items: Array<{ pipelineName: string }> }>(await cli(['run', 'list', '--filter', 'pipeline~train and status=completed', '--sort', 'startedAt', '-o', 'json'], { home }));
    expect(filtered.items.map((x) => x.pipelineName)).toEqual(['training', 'training']);
    const bad = await cli(['run', 'list', '--status', 'exploded'], { home });
    expect(bad.code).toBe(2);
  });
});

describe('run describe', () => {
  it('shows the run, its parameters and its step runs', async () => {
    const r = await cli(['run', 'describe', okRunId], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Run ${okRunId}\\n {2}id\\s+${okRunId}\\n`));
    expect(r.stdout).toMatch(/ {2}pipeline\s+training\n {2}status\s+completed\n {2}model version\s+reg v1\n/);
    expect(r.stdout).toContain('Parameters\n  scale: 2\n');
    expect(r.stdout).toMatch(/Steps \(2\)\n {2}STEP\s+STATUS\s+CACHED\s+DURATION\s+INPUTS\s+OUTPUTS\n {2}load\s+completed\s+no\s+\S+\s+-\s+output=rows v1\n {2}train\s+completed\s+no\s+\S+\s+rows=rows v1\s+output=weights v1\n/);
    expect(r.stdout).not.toContain('Logs of');
    const logs = await cli(['run', 'describe', okRunId, '--logs'], { home });
    expect(logs.stdout).toMatch(/Logs of train\n {2}training on 3 rows\n/);

    const failed = await cli(['run', 'describe', failedRunId], { home });
    expect(failed.stdout).toMatch(/ {2}status\s+failed\n/);
    expect(failed.stdout).toMatch(/Step errors\n {2}broken: .*no data today/);
  });

  it('json is the run as client.getPipelineRun returns it, plus its steps', async () => {
    const j = json<Record<string, unknown> & { steps: Array<{ name: string; status: string }> }>(await cli(['run', 'describe', okRunId, '-o', 'json'], { home }));
    const { steps, ...run } = j;
    expect(run).toEqual(plain(await client.getPipelineRun(okRunId)));
    expect(steps).toEqual(plain(await (await client.backend()).listStepRuns(okRunId)));
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['load', 'completed'],
      ['train', 'completed'],
    ]);
  });

  it('unknown run → exit 1, one line', async () => {
    const r = await cli(['run', 'describe', 'no-such-run'], { home });
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  });
});
