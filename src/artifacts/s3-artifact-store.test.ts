import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startS3 } from '../../test/support/s3.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { S3ArtifactStore, parseS3Uri, type S3ArtifactStoreOptions } from './s3-artifact-store.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
const MiB = 1024 * 1024;

// s3rver is an npm dev dependency: never missing, so this suite never skips.
const s3 = await startS3();
afterAll(async () => {
  await s3.stop();
});

let counter = 0;
const opened: S3ArtifactStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** A store under a fresh prefix of the shared bucket. */
async function openStore(options: S3ArtifactStoreOptions = {}, prefix = `t${process.pid}-${++counter}`): Promise<S3ArtifactStore> {
  const store = await S3ArtifactStore.open(`s3://${s3.bucket}/${prefix}`, { ...s3.options, ...options });
  opened.push(store);
  return store;
}

/** Every key under `prefix/`, sorted, read straight from the server. */
async function listKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/`, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Deterministic pseudo-random bytes (xorshift), so that large blobs are not all zeros. */
function pseudoRandom(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
    out[i + 1] = (x >>> 8) & 0xff;
    out[i + 2] = (x >>> 16) & 0xff;
    out[i + 3] = (x >>> 24) & 0xff;
  }
  return out;
}

async function put(store: S3ArtifactStore, value: Uint8Array | string) {
  const writer = await store.openWriter();
  await writer.write(value);
  return writer.commit();
}

async function streamed(store: S3ArtifactStore, hash: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await store.openReader(hash)).stream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('parseS3Uri', () => {
  it('accepts a bucket with or without prefix and rejects malformed locations', () => {
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Uri('s3://my.bucket-1/a/b/')).toEqual({ bucket: 'my.bucket-1', prefix: 'a/b' });
    for (const bad of ['s3://', 's3://B', 's3://Bucket/x', 's3://bucket/a//b', 's3://bucket/a/../b', 's3://bucket/./a', 's3://bucket/x?y=1', 'http://bucket']) {
      expect(() => parseS3Uri(bad), bad).toThrow(ValidationError);
    }
  });
});

describe('S3ArtifactStore', () => {
  it('round-trips bytes and strings under their sha256', async () => {
    const store = await openStore({}, 'rt/deep');
    expect(store.uri).toBe(`s3://${s3.bucket}/rt/deep`);
    const writer = await store.openWriter();
    await writer.write('hello ');
    await writer.write(new Uint8Array([119, 111, 114, 108, 100]));
    const info = await writer.commit();
    const hash = sha256('hello world');
    expect(info).toEqual({ contentHash: hash, size: 11, uri: `s3://${s3.bucket}/rt/deep/sha256/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}` });
    expect(await listKeys('rt/deep')).toEqual([`rt/deep/sha256/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`]);
    expect(await store.has(hash)).toBe(true);

    const reader = await store.openReader(hash);
    expect(reader.size).toBe(11);
    const bytes = await reader.bytes();
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(11);
    expect(Buffer.from(bytes).toString()).toBe('hello world');
    expect((await streamed(store, hash)).toString()).toBe('hello world');
  });

  it('works at the bucket root too', async () => {
    await s3.createBucket('root-bucket');
    const store = await S3ArtifactStore.open('s3://root-bucket', s3.options);
    opened.push(store);
    expect(store.uri).toBe('s3://root-bucket');
    const info = await put(store, 'at the root');
    expect(info.uri).toBe(`s3://root-bucket/sha256/${info.contentHash.slice(0, 2)}/${info.contentHash.slice(2, 4)}/${info.contentHash}`);
    expect(Buffer.from(await (await store.openReader(info.contentHash)).bytes()).toString()).toBe('at the root');
  });

  it('round-trips a 40 MB value through a multipart upload, written in uneven unawaited chunks', async () => {
    const store = await openStore();
    const big = pseudoRandom(40 * MiB + 123);
    const writer = await store.openWriter();
    const pending: Promise<void>[] = [];
    // Uneven pieces, one larger than a part, none awaited: bytes must still land in call order.
    for (const [from, to] of [
      [0, 1000],
      [1000, 3 * MiB + 7],
      [3 * MiB + 7, 15 * MiB],
      [15 * MiB, big.length],
    ] as const) {
      pending.push(writer.write(big.subarray(from, to)));
    }
    await Promise.all(pending);
    const info = await writer.commit(sha256(big));
    expect(info.size).toBe(big.length);
    const reader = await store.openReader(info.contentHash);
    expect(reader.size).toBe(big.length);
    const back = await reader.bytes();
    expect(back.buffer.byteLength).toBe(big.length);
    expect(Buffer.compare(back, big)).toBe(0);
    expect(sha256(await streamed(store, info.contentHash))).toBe(info.contentHash);
  }, 120_000);

  it('copies each chunk, so the caller may reuse it as soon as write() resolves', async () => {
    const store = await openStore({ partSize: 5 * MiB, queueSize: 2 });
    const chunk = new Uint8Array(MiB);
    const expected = createHash('sha256');
    const writer = await store.openWriter();
    for (let i = 0; i < 12; i++) {
      chunk.fill(i + 1); // overwrite the previous content in place
      expected.update(chunk);
      await writer.write(chunk);
    }
    const info = await writer.commit();
    expect(info.contentHash).toBe(expected.digest('hex'));
    // The stored bytes (not only our running hash) must match.
    expect(sha256(await (await store.openReader(info.contentHash)).bytes())).toBe(info.contentHash);
  }, 60_000);

  it('stores identical bytes once and leaves no temp objects', async () => {
    const store = await openStore({}, 'dedup');
    const a = await put(store, 'same bytes');
    const b = await put(store, 'same bytes');
    expect(b).toEqual(a);
    expect(await listKeys('dedup')).toEqual([`dedup/sha256/${a.contentHash.slice(0, 2)}/${a.contentHash.slice(2, 4)}/${a.contentHash}`]);
  });

  it('reading a blob that vanished after openReader fails with NotFoundError; a stream may be dropped early', async () => {
    const store = await openStore();
    const info = await put(store, pseudoRandom(3 * MiB));
    // Dropped after the first chunk: the GetObject is cancelled, nothing leaks or throws.
    const early = (await store.openReader(info.contentHash)).stream();
    for await (const chunk of early) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break;
    }
    expect(early.destroyed).toBe(true);
    // Destroyed before any read: no request is sent at all.
    (await store.openReader(info.contentHash)).stream().destroy();

    const reader = await store.openReader(info.contentHash);
    await store.gc(async () => new Set());
    await expect(reader.bytes()).rejects.toBeInstanceOf(NotFoundError);
    const stream = reader.stream();
    const error = await new Promise<unknown>((resolve) => {
      stream.once('error', resolve);
      stream.resume();
    });
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('stores an empty blob', async () => {
    const store = await openStore();
    const writer = await store.openWriter();
    const info = await writer.commit();
    expect(info).toMatchObject({ contentHash: sha256(''), size: 0 });
    const reader = await store.openReader(info.contentHash);
    expect((await reader.bytes()).byteLength).toBe(0);
    expect((await streamed(store, info.contentHash)).length).toBe(0);
  });

  it('rejects a hash mismatch, publishes nothing and removes the temp object (single and multipart)', async () => {
    for (const size of [7, 12 * MiB]) {
      const prefix = `mismatch-${size}`;
      const store = await openStore({}, prefix);
      const writer = await store.openWriter();
      await writer.write(pseudoRandom(size, size));
      await expect(writer.commit('0'.repeat(64))).rejects.toBeInstanceOf(ValidationError);
      await writer.abort(); // safe after a failed commit
      expect(await listKeys(prefix)).toEqual([]);
    }
  }, 60_000);

  it('rejects hashes that are not 64 lower-case hex characters', async () => {
    const store = await openStore();
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'abc', `${'a'.repeat(62)}/.`, `../${'a'.repeat(61)}`, '', `${'a'.repeat(64)}\n`, `sha256/${'a'.repeat(57)}`]) {
      await expect(store.openReader(bad)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.has(bad)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('throws NotFoundError for a missing blob, and for a missing bucket at open', async () => {
    const store = await openStore();
    await expect(store.openReader('f'.repeat(64))).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.has('f'.repeat(64))).toBe(false);
    await expect(S3ArtifactStore.open('s3://no-such-bucket/x', s3.options)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('leaves nothing behind after abort (also mid multipart upload), and abort is idempotent', async () => {
    for (const size of [1000, 20 * MiB]) {
      const prefix = `abort-${size}`;
      const store = await openStore({ partSize: 5 * MiB }, prefix);
      const writer = await store.openWriter();
      await writer.write(pseudoRandom(size));
      await writer.abort();
      await writer.abort();
      expect(await listKeys(prefix)).toEqual([]);
      await expect(writer.write('more')).rejects.toBeInstanceOf(ValidationError);
      await expect(writer.commit()).rejects.toBeInstanceOf(ValidationError);
    }
  }, 60_000);

  it('abort during a large unawaited write stops it and leaves nothing', async () => {
    const store = await openStore({ partSize: 5 * MiB, queueSize: 1 }, 'abort-mid-write');
    const writer = await store.openWriter();
    const pending = writer.write(pseudoRandom(64 * MiB));
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await writer.abort();
    expect(performance.now() - started).toBeLessThan(10_000);
    await expect(pending).rejects.toBeInstanceOf(ValidationError);
    expect(await listKeys('abort-mid-write')).toEqual([]);
  }, 60_000);

  it('fails a commit cleanly when the server-side copy fails (multipart copy is not in s3rver)', async () => {
    // Forcing UploadPartCopy, which s3rver answers with NotImplemented: exercises the failure path.
    const store = await openStore({ maxSingleCopyBytes: 10 }, 'copyfail');
    const writer = await store.openWriter();
    await writer.write('more than ten bytes');
    await expect(writer.commit()).rejects.toThrow();
    expect(await listKeys('copyfail')).toEqual([]);
    expect(await store.has(sha256('more than ten bytes'))).toBe(false);
  });

  it('gc deletes unreferenced blobs and stale temps, keeps referenced blobs and foreign keys', async () => {
    const store = await openStore({}, 'gc');
    const hashes: string[] = [];
    for (const text of ['keep me', 'drop me', 'drop me too']) hashes.push((await put(store, text)).contentHash);
    // A temp object left by a crashed writer, and keys that are not ours to judge.
    const staleTemp = `gc/.tmp/${Date.now() - 1000}-${'ab'.repeat(12)}`;
    for (const [key, body] of [
      [staleTemp, 'leftover'],
      ['gc/.tmp/not-a-temp-name', 'foreign'],
      ['gc/sha256/readme.txt', 'foreign'],
      [`gc/sha256/00/00/${'1'.repeat(64)}`, 'misplaced'],
    ] as const) {
      await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
    }
    const asked: string[][] = [];
    const result = await store.gc(async (batch) => {
      asked.push(batch);
      return new Set(batch.filter((h) => h === hashes[0]));
    });
    expect(result).toEqual({ deleted: 2, bytesFreed: 'drop me'.length + 'drop me too'.length + 'leftover'.length });
    expect(asked.flat().sort()).toEqual([...hashes].sort());
    expect(await store.has(hashes[0]!)).toBe(true);
    expect(await store.has(hashes[1]!)).toBe(false);
    expect(await store.has(hashes[2]!)).toBe(false);
    const keys = await listKeys('gc');
    expect(keys).not.toContain(staleTemp);
    expect(keys).toContain('gc/.tmp/not-a-temp-name');
    expect(keys).toContain('gc/sha256/readme.txt');
    expect(keys).toContain(`gc/sha256/00/00/${'1'.repeat(64)}`);
  });

  it('gc pages through more than 1000 blobs, asking in batches of at most 1000', async () => {
    const store = await openStore({}, 'gcpage');
    // Blob-shaped keys written directly: gc judges keys, not contents.
    const hashes = Array.from({ length: 1005 }, (_, i) => sha256(`blob ${i}`));
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < hashes.length) {
          const h = hashes[next++]!;
          await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `gcpage/sha256/${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`, Body: 'x' }));
        }
      }),
    );
    const sizes: number[] = [];
    const seen = new Set<string>();
    const result = await store.gc(async (batch) => {
      sizes.push(batch.length);
      for (const h of batch) seen.add(h);
      return new Set(batch.filter((h) => h !== hashes[0]));
    });
    expect(sizes).toEqual([1000, 5]);
    expect(seen.size).toBe(1005);
    expect(result).toEqual({ deleted: 1, bytesFreed: 1 });
  }, 60_000);

  it('gc with a grace period keeps recently written unreferenced blobs and temps', async () => {
    const store = await openStore({ gcGraceMs: 60_000 }, 'gcgrace');
    const info = await put(store, 'fresh');
    const temp = `gcgrace/.tmp/${Date.now()}-${'cd'.repeat(12)}`;
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: temp, Body: 'in flight elsewhere' }));
    expect(await store.gc(async () => new Set())).toEqual({ deleted: 0, bytesFreed: 0 });
    expect(await store.has(info.contentHash)).toBe(true);
    expect(await listKeys('gcgrace')).toContain(temp);
  });

  it('re-committing an old blob refreshes it, so the grace period protects it again', async () => {
    const graceMs = 2_000;
    const store = await openStore({ gcGraceMs: graceMs }, 'refresh');
    const first = await put(store, 'committed twice');
    // LastModified has one-second resolution: wait until the blob is clearly older than the grace period.
    await new Promise((r) => setTimeout(r, graceMs + 1_100));
    const again = await put(store, 'committed twice');
    expect(again).toEqual(first);
    expect(await store.gc(async () => new Set())).toEqual({ deleted: 0, bytesFreed: 0 });
    expect(await store.has(first.contentHash)).toBe(true);
  }, 30_000);
});

describe('S3ArtifactStore memory', () => {
  it('streams a large upload with bounded memory (measured in a child process)', async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const totalMiB = 160;
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(here, 'test-support', 's3-memory-child.ts'), JSON.stringify({ uri: `s3://${s3.bucket}/memory`, options: s3.options, totalMiB })],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as { size: number; verified: boolean; peakExternalMiB: number; seconds: number };
    expect(report.size).toBe(totalMiB * MiB);
    expect(report.verified).toBe(true);
    // 8 MiB parts × 4 in flight + the part being assembled (and its concatenation) ≈ 45–75 MiB measured,
    // whatever the blob size (400 MiB gave the same); holding the blob would need ≥ 160 MiB.
    expect(report.peakExternalMiB).toBeLessThan(120);
    console.log(`S3 streaming upload: ${totalMiB} MiB in ${report.seconds.toFixed(1)} s, peak live external memory ${report.peakExternalMiB.toFixed(0)} MiB`);
  }, 180_000);
});
