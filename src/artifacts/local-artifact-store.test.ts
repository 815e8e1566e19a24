import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { makeTempStore } from './test-support/temp-store.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

describe('LocalArtifactStore', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, store, cleanup } = await makeTempStore());
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it('round-trips bytes and strings under their sha256', async () => {
    const writer = await store.openWriter();
    await writer.write('hello ');
    await writer.write(new Uint8Array([119, 111, 114, 108, 100]));
    const info = await writer.commit();
    expect(info.contentHash).toBe(sha256('hello world'));
    expect(info.size).toBe(11);
    const blobFile = path.join(dir, 'sha256', info.contentHash.slice(0, 2), info.contentHash.slice(2, 4), info.contentHash);
    expect(info.uri).toBe(pathToFileURL(blobFile).href);
    expect(store.uri).toBe(pathToFileURL(dir).href);
    expect(await store.has(info.contentHash)).toBe(true);

    const reader = await store.openReader(info.contentHash);
    expect(reader.size).toBe(11);
    const bytes = await reader.bytes();
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(11);
    expect(Buffer.from(bytes).toString()).toBe('hello world');
    const streamed: Buffer[] = [];
    for await (const chunk of reader.stream()) streamed.push(chunk as Buffer);
    expect(Buffer.concat(streamed).toString()).toBe('hello world');
  });

  it('round-trips a chunk larger than one write slice, hashed in order', async () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    const writer = await store.openWriter();
    // Not awaited on purpose: writes must still land in call order.
    const pending = [writer.write(big.subarray(0, 1000)), writer.write(big.subarray(1000))];
    await Promise.all(pending);
    const info = await writer.commit(sha256(big));
    expect(info.size).toBe(big.length);
    const back = await (await store.openReader(info.contentHash)).bytes();
    expect(Buffer.compare(back, big)).toBe(0);
  });

  it('keeps small blobs in memory until commit, copying the caller\'s chunks, and spills when they grow', async () => {
    const chunk = new Uint8Array(1000).fill(1);
    const writer = await store.openWriter();
    await writer.write(chunk);
    chunk.fill(2); // the caller may reuse its buffer once write() resolved
    await writer.write(chunk);
    expect(await fs.readdir(path.join(dir, '.tmp'))).toEqual([]); // nothing on disk before commit
    const info = await writer.commit();
    const expected = new Uint8Array(2000);
    expected.fill(1, 0, 1000);
    expected.fill(2, 1000);
    expect(info.contentHash).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(await (await store.openReader(info.contentHash)).bytes()).toEqual(expected);

    // Crossing the small-blob limit moves the held bytes to the temp file, in order.
    const big = await store.openWriter();
    const parts = [new Uint8Array(60_000).fill(3), new Uint8Array(10_000).fill(4), new Uint8Array(5).fill(5)];
    for (const p of parts) await big.write(p);
    const bigInfo = await big.commit();
    const all = Buffer.concat(parts);
    expect(bigInfo.size).toBe(all.byteLength);
    expect(Buffer.from(await (await store.openReader(bigInfo.contentHash)).bytes()).equals(all)).toBe(true);
  });

  it('stores identical bytes once', async () => {
    const a = await store.openWriter();
    await a.write('same bytes');
    const infoA = await a.commit();
    const b = await store.openWriter();
    await b.write('same bytes');
    const infoB = await b.commit();
    expect(infoB).toEqual(infoA);
    expect(await listFiles(path.join(dir, 'sha256'))).toHaveLength(1);
    expect(await listFiles(path.join(dir, '.tmp'))).toHaveLength(0);
  });

  it('stores an empty blob', async () => {
    const writer = await store.openWriter();
    const info = await writer.commit();
    expect(info).toMatchObject({ contentHash: sha256(''), size: 0 });
    expect((await (await store.openReader(info.contentHash)).bytes()).byteLength).toBe(0);
  });

  it('rejects a hash mismatch and removes the temp file', async () => {
    const writer = await store.openWriter();
    await writer.write('payload');
    await expect(writer.commit('0'.repeat(64))).rejects.toBeInstanceOf(ValidationError);
    await writer.abort(); // safe after a failed commit
    expect(await listFiles(dir)).toEqual([]);
  });

  it('rejects hashes that are not 64 lower-case hex characters', async () => {
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'abc', `${'a'.repeat(62)}/.`, `../${'a'.repeat(61)}`, '']) {
      await expect(store.openReader(bad)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.has(bad)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('throws NotFoundError for a missing blob', async () => {
    await expect(store.openReader('f'.repeat(64))).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.has('f'.repeat(64))).toBe(false);
  });

  it('leaves nothing behind after abort, and abort is idempotent', async () => {
    const writer = await store.openWriter();
    await writer.write(new Uint8Array(1000));
    await writer.abort();
    await writer.abort();
    expect(await listFiles(dir)).toEqual([]);
    await expect(writer.write('more')).rejects.toBeInstanceOf(ValidationError);
    await expect(writer.commit()).rejects.toBeInstanceOf(ValidationError);
  });

  it('gc deletes unreferenced blobs and keeps referenced ones', async () => {
    const hashes: string[] = [];
    for (const text of ['keep me', 'drop me', 'drop me too']) {
      const writer = await store.openWriter();
      await writer.write(text);
      hashes.push((await writer.commit()).contentHash);
    }
    const asked: string[][] = [];
    const result = await store.gc(async (batch) => {
      asked.push(batch);
      return new Set(batch.filter((h) => h === hashes[0]));
    });
    expect(result).toEqual({ deleted: 2, bytesFreed: 'drop me'.length + 'drop me too'.length });
    expect(asked.flat().sort()).toEqual([...hashes].sort());
    expect(await store.has(hashes[0]!)).toBe(true);
    expect(await store.has(hashes[1]!)).toBe(false);
    expect(await store.has(hashes[2]!)).toBe(false);
  });

  it('gc asks in batches of at most 1000 hashes', async () => {
    for (let i = 0; i < 1005; i++) {
      const writer = await store.openWriter();
      await writer.write(`blob ${i}`);
      await writer.commit();
    }
    const sizes: number[] = [];
    const result = await store.gc(async (batch) => {
      sizes.push(batch.length);
      return new Set(batch);
    });
    expect(sizes).toEqual([1000, 5]);
    expect(result.deleted).toBe(0);
  }, 30_000);

  it('gc removes temp files of dead processes but not in-flight writes', async () => {
    const inFlight = await store.openWriter();
    await inFlight.write('still writing');
    // A pid far above any pid_max is certainly dead.
    const stale = path.join(dir, '.tmp', '999999999-abcdef');
    await fs.writeFile(stale, 'leftover');
    const result = await store.gc(async () => new Set());
    expect(result).toEqual({ deleted: 0, bytesFreed: 'leftover'.length });
    await expect(fs.access(stale)).rejects.toThrow();
    const info = await inFlight.commit();
    expect(await store.has(info.contentHash)).toBe(true);
  });

  it('gc with a grace period keeps recently committed unreferenced blobs', async () => {
    const graceful = await LocalArtifactStore.open(dir, { gcGraceMs: 60_000 });
    const writer = await graceful.openWriter();
    await writer.write('fresh');
    const info = await writer.commit();
    expect(await graceful.gc(async () => new Set())).toEqual({ deleted: 0, bytesFreed: 0 });
    expect(await graceful.has(info.contentHash)).toBe(true);
  });
});

describe('LocalArtifactStore crash safety', () => {
  it('leaves only a temp file when the writer process is killed, and open() removes it', async () => {
    const { dir, cleanup } = await makeTempStore();
    try {
      const here = path.dirname(fileURLToPath(import.meta.url));
      const repoRoot = path.resolve(here, '../..');
      const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
      const child = spawn(tsx, [path.join(here, 'test-support', 'slow-writer-child.ts'), dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('writing')) resolve();
        });
        void exited.then(() => reject(new Error(`child exited before writing: ${stderr}`)));
      });
      // tsx runs the script in a grandchild node process; kill that one, the real writer.
      const temps = await fs.readdir(path.join(dir, '.tmp'));
      expect(temps).toHaveLength(1);
      const writerPid = Number(temps[0]!.split('-')[0]);
      process.kill(writerPid, 'SIGKILL');
      await exited;
      await waitUntilDead(writerPid);

      expect(await listFiles(path.join(dir, 'sha256'))).toEqual([]);
      const leftovers = await listFiles(path.join(dir, '.tmp'));
      expect(leftovers).toHaveLength(1);
      expect((await fs.stat(leftovers[0]!)).size).toBeGreaterThan(0);
      expect((await fs.stat(leftovers[0]!)).size).toBeLessThan(200 * 1024 * 1024);

      await LocalArtifactStore.open(dir);
      expect(await listFiles(path.join(dir, '.tmp'))).toEqual([]);
    } finally {
      await cleanup();
    }
  }, 30_000);
});

async function waitUntilDead(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`process ${pid} did not die`);
}
