import type { Readable } from 'node:stream';

/** What the store knows about one stored blob once its bytes are complete. */
export interface BlobInfo {
  /** Lower-case hex sha256 of the bytes; also the blob's key. */
  contentHash: string;
  /** Number of bytes. */
  size: number;
  /** Where the bytes live, e.g. `file:///home/me/.modelplane/artifacts/sha256/ab/cd/abcd…`. */
  uri: string;
}

/**
 * A sink for the bytes of one new blob. Bytes go to a temporary name while being hashed; `commit()`
 * makes them visible under their content hash (storing identical bytes only once), `abort()` throws
 * them away. A writer that is neither committed nor aborted leaves only temporary data, which the
 * store removes when it is next opened or garbage-collected.
 */
export interface BlobWriter {
  /** Appends bytes; resolves once the chunk may be reused by the caller (backpressure). */
  write(chunk: Uint8Array | string): Promise<void>;
  /** Finishes the blob: flushes, verifies `expectedHash` if given, publishes it, returns its info. */
  commit(expectedHash?: string): Promise<BlobInfo>;
  /** Discards everything written so far. Safe to call twice or after a failed commit. */
  abort(): Promise<void>;
}

/** A readable handle on one stored blob. */
export interface BlobReader {
  readonly contentHash: string;
  readonly size: number;
  /** Streams the bytes (for large values and HTTP downloads). */
  stream(): Readable;
  /** Reads all bytes into one freshly allocated buffer of exactly `size` bytes (no intermediate copies). */
  bytes(): Promise<Uint8Array>;
}

/**
 * Content-addressed storage for artifact bytes. Implementations: local disk (`file://`), S3 (`s3://`).
 * Keys are sha256 hex digests only, so no caller-controlled path ever reaches the file system or bucket.
 */
export interface ArtifactStore {
  /** A URI that identifies this store, e.g. `file:///abs/path` or `s3://bucket/prefix`. */
  readonly uri: string;
  /** Starts a new blob. */
  openWriter(): Promise<BlobWriter>;
  /** Opens a stored blob; `NotFoundError` if absent, `ValidationError` if `contentHash` is not 64 hex chars. */
  openReader(contentHash: string): Promise<BlobReader>;
  /** True when a blob with that hash is stored. */
  has(contentHash: string): Promise<boolean>;
  /** Deletes blobs whose hash `isReferenced` says false, and stale temporary data. Returns what was freed. */
  gc(isReferenced: (contentHashes: string[]) => Promise<Set<string>>): Promise<{ deleted: number; bytesFreed: number }>;
  /** Releases resources (no-op for local disk). */
  close(): Promise<void>;
}
