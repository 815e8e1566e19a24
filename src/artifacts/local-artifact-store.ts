import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { QueuedBlobWriter } from './queued-blob-writer.js';
import type { ArtifactStore, BlobInfo, BlobReader, BlobWriter } from './artifact-store.js';

const HASH_RE = /^[0-9a-f]{64}$/;
const TEMP_RE = /^(\d+)-[0-9a-f]+$/;

// Large enough that per-call overhead vanishes, small enough that hashing one slice and writing it
// overlap well and that no single write call comes near the 2 GiB limit of pwrite.
const SLICE_BYTES = 8 * 1024 * 1024;

/** Durable writers start a background flush after this many bytes. */
const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

/**
 * Blobs up to this size are kept in memory until commit and then written, published and read with
 * synchronous calls: for a few KB, each asynchronous fs call costs more (thread-pool round trip)
 * than the I/O itself, and most pipeline outputs are this small.
 */
const SMALL_BLOB_BYTES = 64 * 1024;
// fh.read() refuses lengths above 2^31-1, so large blobs are read in pieces of this size.
const READ_PIECE_BYTES = 1024 * 1024 * 1024;
const GC_BATCH = 1000;

// Temp files this process is writing right now. The pid alone cannot protect them from our own
// cleanup when a crashed predecessor had the same pid (containers reuse pid 1 on every start).
const inFlightTemps = new Set<string>();

/** Options of {@link LocalArtifactStore.open}. */
export interface LocalArtifactStoreOptions {
  /**
   * `gc` keeps unreferenced blobs written or re-committed less than this many milliseconds ago, so
   * that a blob committed just before its artifact version is recorded is not collected. Default 0.
   */
  gcGraceMs?: number;
  /**
   * When true (the default), blobs are fsynced before and after publishing, so they survive a power
   * loss. When false they survive any crash of the process (publishing is still an atomic rename) but
   * an OS crash may lose the newest ones — the same guarantee as SQLite's WAL with synchronous=NORMAL.
   */
  durable?: boolean;
}

/** Throws `ValidationError` unless `contentHash` is a lower-case hex sha256 digest. */
function assertHash(contentHash: string): void {
  // The hash becomes a path; this check is what makes traversal (`../`, separators) impossible.
  if (typeof contentHash !== 'string' || !HASH_RE.test(contentHash)) {
    throw new ValidationError(`Invalid content hash ${JSON.stringify(String(contentHash).slice(0, 80))}: expected 64 lower-case hex characters (sha256)`, {
      contentHash: String(contentHash).slice(0, 80),
    });
  }
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}

/** True unless the process with that pid is known to be gone. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means it exists but belongs to someone else: still alive.
    return !isErrno(err, 'ESRCH');
  }
}

async function unlinkIfExists(file: string): Promise<boolean> {
  try {
    await fs.unlink(file);
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Content-addressed blob storage on the local disk: blobs live at `<root>/sha256/ab/cd/abcd…`, and
 * in-flight writes at `<root>/.tmp/<pid>-<random>` on the same file system, so publishing is an
 * atomic rename.
 */
export class LocalArtifactStore implements ArtifactStore {
  /** `file://` URL of the store's root folder. */
  readonly uri: string;
  /** Absolute path of the store's root folder. */
  readonly root: string;
  private readonly blobsDir: string;
  private readonly tempDir: string;
  private readonly gcGraceMs: number;
  private readonly durable: boolean;

  private constructor(root: string, options: LocalArtifactStoreOptions) {
    this.root = root;
    this.uri = pathToFileURL(root).href;
    this.blobsDir = path.join(root, 'sha256');
    this.tempDir = path.join(root, '.tmp');
    this.gcGraceMs = options.gcGraceMs ?? 0;
    this.durable = options.durable ?? true;
  }

  /** Opens (creating folders as needed) the store at `root` and removes temp files left by dead processes. */
  static async open(root: string, options: LocalArtifactStoreOptions = {}): Promise<LocalArtifactStore> {
    const store = new LocalArtifactStore(path.resolve(root), options);
    await fs.mkdir(store.blobsDir, { recursive: true });
    await fs.mkdir(store.tempDir, { recursive: true });
    await store.removeStaleTemps();
    return store;
  }

  /** Path where the blob with that (already validated) hash lives. */
  private blobPath(contentHash: string): string {
    return path.join(this.blobsDir, contentHash.slice(0, 2), contentHash.slice(2, 4), contentHash);
  }

  /** Starts a new blob under a temp name owned by this process. */
  async openWriter(): Promise<BlobWriter> {
    const tempPath = path.join(this.tempDir, `${process.pid}-${randomBytes(12).toString('hex')}`);
    return new LocalBlobWriter(tempPath, (hash, small) => (small ? this.publishSync(tempPath, hash) : this.publish(tempPath, hash)), this.durable);
  }

  /** Opens a stored blob; `ValidationError` for a malformed hash, `NotFoundError` when absent. */
  async openReader(contentHash: string): Promise<BlobReader> {
    assertHash(contentHash);
    const file = this.blobPath(contentHash);
    let size: number;
    try {
      // A stat is cheaper done here than through the thread pool.
      size = statSync(file).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) {
        throw new NotFoundError(`Blob ${contentHash} not found in artifact store ${this.uri}`, { contentHash });
      }
      throw err;
    }
    return new LocalBlobReader(file, contentHash, size);
  }

  /** True when a blob with that hash is stored; `ValidationError` for a malformed hash. */
  async has(contentHash: string): Promise<boolean> {
    assertHash(contentHash);
    try {
      await fs.access(this.blobPath(contentHash));
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /**
   * Deletes blobs `isReferenced` does not return (asked in batches of 1000) and temp files of dead
   * processes; `deleted` counts blobs, `bytesFreed` includes the temp files.
   */
  async gc(isReferenced: (contentHashes: string[]) => Promise<Set<string>>): Promise<{ deleted: number; bytesFreed: number }> {
    let deleted = 0;
    // `deleted` counts blobs only; bytes of removed temp files still count as freed.
    let bytesFreed = (await this.removeStaleTemps()).bytesFreed;

    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const hashes = batch;
      batch = [];
      const referenced = await isReferenced(hashes);
      const keepNewerThan = Date.now() - this.gcGraceMs;
      for (const hash of hashes) {
        if (referenced.has(hash)) continue;
        const file = this.blobPath(hash);
        let stat;
        try {
          stat = await fs.stat(file);
        } catch (err) {
          if (isErrno(err, 'ENOENT')) continue; // a concurrent gc got there first
          throw err;
        }
        if (this.gcGraceMs > 0 && stat.mtimeMs > keepNewerThan) continue;
        if (await unlinkIfExists(file)) {
          deleted += 1;
          bytesFreed += stat.size;
        }
      }
    };

    for (const level1 of await readDirNames(this.blobsDir)) {
      const dir1 = path.join(this.blobsDir, level1);
      for (const level2 of await readDirNames(dir1)) {
        const dir2 = path.join(dir1, level2);
        for (const name of await readDirNames(dir2)) {
          // Anything not shaped like a blob of this folder is not ours to judge.
          if (!HASH_RE.test(name) || name.slice(0, 2) !== level1 || name.slice(2, 4) !== level2) continue;
          batch.push(name);
          if (batch.length >= GC_BATCH) await flush();
        }
      }
    }
    await flush();
    // Prefix folders stay: removing one could race with a writer that just created it.
    return { deleted, bytesFreed };
  }

  /** Nothing to release for local disk. */
  async close(): Promise<void> {}

  /** Publishes a small temp file with synchronous calls; renaming over an identical blob is harmless. */
  private publishSync(tempPath: string, contentHash: string): string {
    const target = this.blobPath(contentHash);
    const dir = path.dirname(target);
    if (!this.knownDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      if (this.durable) for (let d = path.dirname(dir); d.length >= this.blobsDir.length; d = path.dirname(d)) fsyncDirSync(d);
      this.knownDirs.add(dir);
    }
    try {
      renameSync(tempPath, target);
    } catch (err) {
      // The prefix folder went away behind our back (removed by hand): make it again once.
      if (!isErrno(err, 'ENOENT')) throw err;
      mkdirSync(dir, { recursive: true });
      renameSync(tempPath, target);
    }
    if (this.durable) fsyncDirSync(dir);
    return target;
  }

  /** Prefix folders this process has made or seen, so small blobs skip the mkdir. */
  private readonly knownDirs = new Set<string>();

  /** Moves a finished temp file to its content address (or drops it when the blob already exists). */
  private async publish(tempPath: string, contentHash: string): Promise<string> {
    const target = this.blobPath(contentHash);
    const dir = path.dirname(target);
    const firstCreated = await fs.mkdir(dir, { recursive: true });
    let exists = true;
    try {
      await fs.access(target);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
      exists = false;
    }
    if (exists) {
      await unlinkIfExists(tempPath);
      // Fresh mtime = "recently committed", which is what the gc grace period protects.
      const now = new Date();
      await fs.utimes(target, now, now).catch(() => undefined);
      return target;
    }
    // Two writers of the same bytes may both get here; rename replaces atomically with identical bytes.
    await fs.rename(tempPath, target);
    if (!this.durable) return target;
    await fsyncDir(dir);
    if (firstCreated !== undefined) {
      // New prefix folders must be durable too, or a crash could lose the whole subtree entry.
      for (let d = path.dirname(dir); d.length >= this.blobsDir.length; d = path.dirname(d)) {
        await fsyncDir(d);
        if (d === this.blobsDir) break;
      }
    }
    return target;
  }

  /** Removes temp files whose writer process is dead (or is a crashed predecessor with our pid). */
  private async removeStaleTemps(): Promise<{ deleted: number; bytesFreed: number }> {
    let deleted = 0;
    let bytesFreed = 0;
    for (const name of await readDirNames(this.tempDir)) {
      const match = TEMP_RE.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      const file = path.join(this.tempDir, name);
      const stale = pid === process.pid ? !inFlightTemps.has(file) : !isProcessAlive(pid);
      if (!stale) continue;
      let size = 0;
      try {
        size = (await fs.stat(file)).size;
      } catch (err) {
        if (isErrno(err, 'ENOENT')) continue;
        throw err;
      }
      if (await unlinkIfExists(file)) {
        deleted += 1;
        bytesFreed += size;
      }
    }
    return { deleted, bytesFreed };
  }
}

async function readDirNames(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return [];
    throw err;
  }
}

/** Streams bytes into a temp file while hashing them, then hands the file to the store to publish. */
class LocalBlobWriter extends QueuedBlobWriter {
  private position = 0;
  private handleClosed = false;
  // Durable writers flush in the background every SYNC_EVERY_BYTES, so the final fsync has little
  // left to do instead of starting from scratch after the last byte.
  private syncing: Promise<void> = Promise.resolve();
  private unsyncedBytes = 0;
  // Small blobs stay here (copies: the caller may reuse its chunk) until they outgrow SMALL_BLOB_BYTES.
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private handleOrUndefined: FileHandle | undefined;

  constructor(
    private readonly tempPath: string,
    private readonly publishTemp: (contentHash: string, small: boolean) => Promise<string> | string,
    private readonly durable: boolean,
  ) {
    super();
  }

  private get handle(): FileHandle {
    return this.handleOrUndefined!;
  }

  /** Creates the temp file and writes what was held in memory so far. */
  private async spill(): Promise<void> {
    // 'wx': a name collision must fail rather than interleave two writers in one file.
    this.handleOrUndefined = await fs.open(this.tempPath, 'wx');
    inFlightTemps.add(this.tempPath);
    const held = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const chunk of held) {
      await this.writeFully(chunk, this.position);
      this.position += chunk.byteLength;
    }
  }

  protected async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.handleOrUndefined === undefined) {
      if (this.pendingBytes + bytes.byteLength <= SMALL_BLOB_BYTES) {
        this.hash.update(bytes);
        this.pending.push(Uint8Array.prototype.slice.call(bytes));
        this.pendingBytes += bytes.byteLength;
        return;
      }
      await this.spill();
    }
    for (let offset = 0; offset < bytes.byteLength; offset += SLICE_BYTES) {
      // A view, never a copy of the caller's memory.
      const slice = bytes.subarray(offset, Math.min(offset + SLICE_BYTES, bytes.byteLength));
      // The write runs on the libuv thread pool while this thread hashes the same (read-only) slice,
      // so a chunk costs max(hash, write) instead of their sum.
      const written = this.writeFully(slice, this.position);
      this.hash.update(slice);
      await written;
      this.position += slice.byteLength;
      this.unsyncedBytes += slice.byteLength;
      if (this.durable && this.unsyncedBytes >= SYNC_EVERY_BYTES) {
        this.unsyncedBytes = 0;
        const previous = this.syncing;
        this.syncing = previous.then(() => this.handle.datasync());
        // A failed background flush resurfaces at commit, where `syncing` is awaited.
        this.syncing.catch(() => undefined);
      }
    }
  }

  private async writeFully(slice: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < slice.byteLength) {
      const { bytesWritten } = await this.handle.write(slice, done, slice.byteLength - done, position + done);
      done += bytesWritten;
    }
  }

  protected async publish(contentHash: string): Promise<BlobInfo> {
    const small = this.handleOrUndefined === undefined;
    if (small) {
      this.writeSmallTemp();
    } else {
      if (this.durable) {
        await this.syncing;
        await this.handle.sync();
      }
      await this.closeHandle();
    }
    const target = await this.publishTemp(contentHash, small);
    inFlightTemps.delete(this.tempPath);
    return { contentHash, size: this.position, uri: pathToFileURL(target).href };
  }

  /** Writes the held bytes of a small blob to its temp file in one go. */
  private writeSmallTemp(): void {
    const fd = openSync(this.tempPath, 'wx');
    inFlightTemps.add(this.tempPath);
    try {
      for (const chunk of this.pending) {
        let done = 0;
        while (done < chunk.byteLength) done += writeSync(fd, chunk, done, chunk.byteLength - done, this.position + done);
        this.position += chunk.byteLength;
      }
      if (this.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.pending = [];
  }

  protected async discard(): Promise<void> {
    this.state = 'aborted';
    await this.writes.settled();
    await this.syncing.catch(() => undefined);
    await this.closeHandle().catch(() => undefined);
    await unlinkIfExists(this.tempPath);
    inFlightTemps.delete(this.tempPath);
  }

  private async closeHandle(): Promise<void> {
    if (this.handleClosed || this.handleOrUndefined === undefined) return;
    this.handleClosed = true;
    await this.handle.close();
  }
}

/** A stored blob on disk; `bytes()` reads it straight into one exactly-sized buffer. */
class LocalBlobReader implements BlobReader {
  constructor(
    private readonly file: string,
    readonly contentHash: string,
    readonly size: number,
  ) {}

  stream(): Readable {
    return createReadStream(this.file);
  }

  async bytes(): Promise<Uint8Array> {
    const out = new Uint8Array(new ArrayBuffer(this.size));
    if (this.size <= SMALL_BLOB_BYTES) {
      const fd = openSync(this.file, 'r');
      try {
        let offset = 0;
        while (offset < this.size) {
          const read = readSync(fd, out, offset, this.size - offset, offset);
          if (read === 0) throw new Error(`Blob ${this.contentHash} is shorter on disk than its recorded ${this.size} bytes`);
          offset += read;
        }
      } finally {
        closeSync(fd);
      }
      return out;
    }
    const handle = await fs.open(this.file, 'r');
    try {
      let offset = 0;
      while (offset < this.size) {
        const length = Math.min(READ_PIECE_BYTES, this.size - offset);
        const { bytesRead } = await handle.read(out, offset, length, offset);
        if (bytesRead === 0) {
          throw new Error(`Blob ${this.contentHash} is shorter on disk than its recorded ${this.size} bytes`);
        }
        offset += bytesRead;
      }
    } finally {
      await handle.close();
    }
    return out;
  }
}
