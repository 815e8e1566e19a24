import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startS3 } from '../../test/support/s3.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { ARTIFACT_STORE_FORMS, openArtifactStore } from './open-artifact-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

const s3 = await startS3();
const dirs: string[] = [];
afterAll(async () => {
  await s3.stop();
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelplane-open-store-'));
  dirs.push(dir);
  return dir;
}

describe('openArtifactStore', () => {
  it('opens a local store for a folder path (absolute or relative) and for a file:// URL', async () => {
    const dir = await tempDir();
    const byPath = await openArtifactStore(path.join(dir, 'a'));
    expect(byPath).toBeInstanceOf(LocalArtifactStore);
    expect(byPath.uri).toBe(pathToFileURL(path.join(dir, 'a')).href);

    const relative = path.relative(process.cwd(), path.join(dir, 'b'));
    const byRelative = await openArtifactStore(relative);
    expect(byRelative.uri).toBe(pathToFileURL(path.join(dir, 'b')).href);

    const byUrl = await openArtifactStore(pathToFileURL(path.join(dir, 'c')).href, { gcGraceMs: 1000, durable: false });
    expect(byUrl).toBeInstanceOf(LocalArtifactStore);
    expect((byUrl as LocalArtifactStore).root).toBe(path.join(dir, 'c'));
  });

  it('opens an S3 store for s3://bucket[/prefix] with the given connection options', async () => {
    const withPrefix = await openArtifactStore(`s3://${s3.bucket}/team/a`, { s3: s3.options, gcGraceMs: 0 });
    expect(withPrefix).toBeInstanceOf(S3ArtifactStore);
    expect(withPrefix.uri).toBe(`s3://${s3.bucket}/team/a`);
    const writer = await withPrefix.openWriter();
    await writer.write('via openArtifactStore');
    const info = await writer.commit();
    expect(info.uri.startsWith(`s3://${s3.bucket}/team/a/sha256/`)).toBe(true);
    await withPrefix.close();

    const root = await openArtifactStore(`s3://${s3.bucket}`, { s3: s3.options });
    expect(root.uri).toBe(`s3://${s3.bucket}`);
    await root.close();

    await expect(openArtifactStore('s3://missing-bucket/x', { s3: s3.options })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects anything else with a ValidationError naming the accepted forms', async () => {
    for (const bad of ['', '   ', 'http://example.com/x', 'gs://bucket/x', 'ftp:/x', 'file://remote-host/x', 's3://', 's3://Bad_Bucket!/x', 's3://bucket/a/../b']) {
      const error = await openArtifactStore(bad, { s3: s3.options }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, bad).toBeInstanceOf(ValidationError);
      if (!bad.startsWith('s3://')) expect((error as Error).message).toContain(ARTIFACT_STORE_FORMS);
    }
  });
});
