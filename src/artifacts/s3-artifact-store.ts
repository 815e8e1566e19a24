import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCopyCommand,
  type CompletedPart,
  type HeadObjectCommandOutput,
  type S3ClientConfig,
  type _Object,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { QueuedBlobWriter } from './queued-blob-writer.js';
import type { ArtifactStore, BlobInfo, BlobReader, BlobWriter } from './artifact-store.js';

const HASH_RE = /^[0-9a-f]{64}$/;
/** Names of our temp objects: `<start ms>-<random hex>`. */
const TEMP_RE = /^\d+-[0-9a-f]{24}$/;
/** `ab/cd/abcd…` below `<prefix>/sha256/`. */
const BLOB_SUFFIX_RE = /^([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
/** Bucket names as S3 accepts them today (lower case, digits, dots, hyphens; underscores for older buckets). */
const BUCKET_RE = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** Default multipart part size: memory per writer is about (queueSize + 2) × this. */
const DEFAULT_PART_BYTES = 8 * MiB;
/** Parts uploaded in parallel per writer. */
const DEFAULT_QUEUE_SIZE = 4;
/** S3's minimum part size (every part but the last). */
const MIN_PART_BYTES = 5 * MiB;
/** S3's maximum number of parts per multipart upload. */
const MAX_PARTS = 10_000;
/** Caller chunks are copied into pieces of at most this size, so a huge write() never allocates a huge copy. */
const WRITE_SLICE_BYTES = 1 * MiB;
/** CopyObject copies at most 5 GiB in one request; larger blobs are copied part by part. */
const MAX_SINGLE_COPY_BYTES = 5 * GiB;
/** Part size of a multipart server-side copy (at most 5 GiB; 512 MiB × 10 000 parts = S3's 5 TiB object limit). */
const MIN_COPY_PART_BYTES = 512 * MiB;
/** `isReferenced` batch size, and the most keys one DeleteObjects request accepts. */
const GC_BATCH = 1000;
/** Concurrent requests for gc re-checks and part copies. */
const REQUEST_CONCURRENCY = 8;

// Temp objects this process is writing right now (`bucket/key`): gc never deletes them, whatever their age.
const inFlightTemps = new Set<string>();

/** How to reach the S3 service; everything else comes from the SDK's defaults (environment, ~/.aws). */
export interface S3ConnectionOptions {
  /** Endpoint of an S3-compatible service, e.g. `http://127.0.0.1:9000`. Default: AWS S3 for the region. */
  endpoint?: string;
  /** Region. Default: the SDK's (AWS_REGION, ~/.aws/config), or `us-east-1` when `endpoint` is set. */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`) instead of virtual-hosted ones; most S3-compatible servers need it. */
  forcePathStyle?: boolean;
  /** Static credentials. Default: the SDK's provider chain (environment, shared files, instance roles …). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Options of {@link S3ArtifactStore.open}. */
export interface S3ArtifactStoreOptions extends S3ConnectionOptions {
  /**
   * `gc` keeps unreferenced blobs and temp objects younger than this many milliseconds (by the
   * service's LastModified), so that a blob committed just before its artifact version is recorded is
   * not collected. Re-committing bytes that are already stored refreshes the blob only when it is older
   * than half this period (a server-side copy), so a commit is protected for at least half of it.
   * With 0, gc may also remove the temp object of a writer in another process that is between upload
   * and publish (its commit then fails; nothing half-written becomes visible). Default 0.
   */
  gcGraceMs?: number;
  /**
   * Multipart part size in bytes (min 5 MiB). Default 8 MiB. A writer holds about (queueSize + 2) parts
   * in memory, and a blob may have at most 10 000 parts: 8 MiB parts cap a blob at ~78 GiB (64 MiB
   * parts: ~625 GiB). The size of a blob is not known in advance, so the part size cannot adapt.
   */
  partSize?: number;
  /** Parts uploaded concurrently per writer. Default 4. */
  queueSize?: number;
  /** Blobs larger than this are published with a multipart UploadPartCopy instead of CopyObject. Default (and maximum) 5 GiB. */
  maxSingleCopyBytes?: number;
}

/** Parsed `s3://bucket[/prefix]`. */
export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket root. */
  prefix: string;
}

/**
 * Parses `s3://bucket[/prefix]`. The prefix is configuration, not user input, but it is still kept
 * to plain segments (no empty, `.` or `..` segments, no control characters).
 */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/i.exec(uri);
  const forms = 'expected s3://bucket or s3://bucket/prefix';
  if (!match) throw new ValidationError(`Invalid S3 location ${JSON.stringify(uri)}: ${forms} (no query or fragment).`, { uri });
  const bucket = match[1] ?? '';
  if (!BUCKET_RE.test(bucket) || bucket.includes('..')) {
    throw new ValidationError(
      `Invalid S3 bucket name ${JSON.stringify(bucket)} in ${JSON.stringify(uri)}: 3–63 characters of lower-case letters, digits, dots and hyphens.`,
      { uri },
    );
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix !== '') {
    const bad = prefix.split('/').find((segment) => segment === '' || segment === '.' || segment === '..' || /[\u0000-\u001f\u007f]/.test(segment));
    if (bad !== undefined) {
      throw new ValidationError(`Invalid S3 prefix ${JSON.stringify(prefix)} in ${JSON.stringify(uri)}: no empty, "." or ".." segments and no control characters.`, {
        uri,
      });
    }
  }
  return { bucket, prefix };
}

/** Throws `ValidationError` unless `contentHash` is a lower-case hex sha256 digest. */
function assertHash(contentHash: string): void {
  // The hash becomes an object key; this check is what keeps caller-controlled keys away from the bucket.
  if (typeof contentHash !== 'string' || !HASH_RE.test(contentHash)) {
    throw new ValidationError(`Invalid content hash ${JSON.stringify(String(contentHash).slice(0, 80))}: expected 64 lower-case hex characters (sha256)`, {
      contentHash: String(contentHash).slice(0, 80),
    });
  }
}

function httpStatus(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode : undefined;
}

function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  return name === 'NotFound' || name === 'NoSuchKey' || httpStatus(err) === 404;
}

function isNotImplemented(err: unknown): boolean {
  return (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'NotImplemented') || httpStatus(err) === 501;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight. After a failure no new call starts;
 * rejects with the first failure once the calls in flight have settled.
 */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/**
 * Content-addressed blob storage in an S3 bucket (AWS S3 or any S3-compatible service): blobs live at
 * `<prefix>/sha256/ab/cd/abcd…`, in-flight writes at `<prefix>/.tmp/<ms>-<random>`. Bytes are
 * streamed to the temp object (multipart for large blobs) while being hashed; committing copies it
 * server-side to its content address, so a blob key only ever holds complete bytes.
 *
 * Permissions needed: GetObject, PutObject, DeleteObject, ListBucket (without it a missing key answers
 * 403 instead of 404) and, for gc of crashed multipart uploads, ListBucketMultipartUploads and
 * AbortMultipartUpload. A bucket lifecycle rule "abort incomplete multipart uploads after 1 day" is
 * a good complement.
 */
export class S3ArtifactStore implements ArtifactStore {
  /** `s3://bucket` or `s3://bucket/prefix`. */
  readonly uri: string;
  readonly bucket: string;
  /** Key prefix without trailing slash ('' for the bucket root). */
  readonly prefix: string;
  /** The SDK client; destroyed by `close()`. */
  readonly client: S3Client;
  private readonly keyBase: string;
  private readonly gcGraceMs: number;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly maxSingleCopyBytes: number;

  private constructor(location: S3Location, client: S3Client, options: S3ArtifactStoreOptions) {
    this.bucket = location.bucket;
    this.prefix = location.prefix;
    this.uri = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
    this.keyBase = location.prefix ? `${location.prefix}/` : '';
    this.client = client;
    this.gcGraceMs = Math.max(0, options.gcGraceMs ?? 0);
    this.partSize = options.partSize ?? DEFAULT_PART_BYTES;
    this.queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
    this.maxSingleCopyBytes = Math.min(options.maxSingleCopyBytes ?? MAX_SINGLE_COPY_BYTES, MAX_SINGLE_COPY_BYTES);
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_BYTES) {
      throw new ValidationError(`S3 part size must be a whole number of bytes of at least ${MIN_PART_BYTES} (5 MiB), got ${String(options.partSize)}.`);
    }
    if (!Number.isSafeInteger(this.queueSize) || this.queueSize < 1) {
      throw new ValidationError(`S3 queue size must be a whole number of at least 1, got ${String(options.queueSize)}.`);
    }
  }

  /**
   * Connects to the bucket of `uri` (`s3://bucket[/prefix]`) and checks that it exists
   * (`NotFoundError` otherwise). Stale temp objects are left to `gc`.
   */
  static async open(uri: string, options: S3ArtifactStoreOptions = {}): Promise<S3ArtifactStore> {
    const location = parseS3Uri(uri);
    const config: S3ClientConfig = {
      // Integrity of new blobs is checked with our own sha256; the SDK's default CRC32 trailers are
      // not understood by every S3-compatible service.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (options.endpoint !== undefined) config.endpoint = options.endpoint;
    const region = options.region ?? (options.endpoint !== undefined ? 'us-east-1' : undefined);
    if (region !== undefined) config.region = region;
    if (options.forcePathStyle !== undefined) config.forcePathStyle = options.forcePathStyle;
    if (options.credentials !== undefined) config.credentials = options.credentials;
    const client = new S3Client(config);
    try {
      const store = new S3ArtifactStore(location, client, options);
      await store.checkBucket();
      return store;
    } catch (err) {
      client.destroy();
      throw err;
    }
  }

  private async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (isNotFound(err)) {
        throw new NotFoundError(`S3 bucket "${this.bucket}" of artifact store ${this.uri} does not exist.`, { uri: this.uri });
      }
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`Cannot reach S3 bucket "${this.bucket}" of artifact store ${this.uri}: ${message}`, { cause: err });
    }
  }

  /** Object key of the blob with that (already validated) hash. */
  private blobKey(contentHash: string): string {
    return `${this.keyBase}sha256/${contentHash.slice(0, 2)}/${contentHash.slice(2, 4)}/${contentHash}`;
  }

  private get tempBase(): string {
    return `${this.keyBase}.tmp/`;
  }

  private blobUri(contentHash: string): string {
    return `s3://${this.bucket}/${this.blobKey(contentHash)}`;
  }

  /** Starts a new blob: a temp object filled by a (multipart) upload that runs as bytes arrive. */
  async openWriter(): Promise<BlobWriter> {
    const tempKey = `${this.tempBase}${Date.now()}-${randomBytes(12).toString('hex')}`;
    return new S3BlobWriter(
      {
        bucket: this.bucket,
        startUpload: (key, body) => this.newUpload(key, body).done(),
        publish: (key, contentHash, size) => this.publish(key, contentHash, size),
        deleteKey: (key) => this.deleteKey(key),
      },
      tempKey,
    );
  }

  /** Opens a stored blob; `ValidationError` for a malformed hash, `NotFoundError` when absent. */
  async openReader(contentHash: string): Promise<BlobReader> {
    assertHash(contentHash);
    const key = this.blobKey(contentHash);
    const head = await this.head(key);
    if (!head) throw new NotFoundError(`Blob ${contentHash} not found in artifact store ${this.uri}`, { contentHash });
    return new S3BlobReader((signal) => this.getBody(key, contentHash, signal), contentHash, head.ContentLength ?? 0);
  }

  /** True when a blob with that hash is stored; `ValidationError` for a malformed hash. */
  async has(contentHash: string): Promise<boolean> {
    assertHash(contentHash);
    return (await this.head(this.blobKey(contentHash))) !== null;
  }

  /**
   * Deletes blobs `isReferenced` does not return (asked in batches of 1000) and our temp objects,
   * both only when older than the grace period; `deleted` counts blobs, `bytesFreed` includes temp
   * objects. Also aborts multipart uploads of temp objects started before the grace period (skipped
   * silently where the service does not list multipart uploads). Ages compare the service's
   * LastModified with this machine's clock.
   */
  async gc(isReferenced: (contentHashes: string[]) => Promise<Set<string>>): Promise<{ deleted: number; bytesFreed: number }> {
    const cutoff = Date.now() - this.gcGraceMs;
    const oldEnough = (date: Date | undefined) => this.gcGraceMs === 0 || (date !== undefined && date.getTime() <= cutoff);

    // 1. Temp objects of writers that died between upload and publish (or were never committed).
    let bytesFreed = 0;
    let temps: _Object[] = [];
    const flushTemps = async () => {
      const batch = temps;
      temps = [];
      if (batch.length === 0) return;
      await this.deleteKeys(batch.map((o) => o.Key!));
      for (const o of batch) bytesFreed += o.Size ?? 0;
    };
    for await (const object of this.list(this.tempBase)) {
      const name = object.Key!.slice(this.tempBase.length);
      if (!TEMP_RE.test(name) || inFlightTemps.has(`${this.bucket}/${object.Key}`) || !oldEnough(object.LastModified)) continue;
      temps.push(object);
      if (temps.length >= GC_BATCH) await flushTemps();
    }
    await flushTemps();
    await this.abortStaleUploads(oldEnough);

    // 2. Unreferenced blobs.
    let deleted = 0;
    let batch: Array<{ hash: string; key: string; size: number; lastModified: Date | undefined }> = [];
    const flush = async () => {
      const current = batch;
      batch = [];
      if (current.length === 0) return;
      const referenced = await isReferenced(current.map((b) => b.hash));
      let candidates = current.filter((b) => !referenced.has(b.hash) && oldEnough(b.lastModified));
      if (this.gcGraceMs > 0 && candidates.length > 0) {
        // A writer may have re-committed (and so refreshed) one of them since it was listed.
        const stillOld = new Set<string>();
        await forEachLimit(candidates, REQUEST_CONCURRENCY, async (b) => {
          const head = await this.head(b.key);
          if (head && oldEnough(head.LastModified)) stillOld.add(b.key);
        });
        candidates = candidates.filter((b) => stillOld.has(b.key));
      }
      if (candidates.length === 0) return;
      await this.deleteKeys(candidates.map((b) => b.key));
      deleted += candidates.length;
      for (const b of candidates) bytesFreed += b.size;
    };
    const blobBase = `${this.keyBase}sha256/`;
    for await (const object of this.list(blobBase)) {
      const match = BLOB_SUFFIX_RE.exec(object.Key!.slice(blobBase.length));
      // Anything not shaped like one of our blobs is not ours to judge.
      if (!match || match[3]!.slice(0, 2) !== match[1] || match[3]!.slice(2, 4) !== match[2]) continue;
      batch.push({ hash: match[3]!, key: object.Key!, size: object.Size ?? 0, lastModified: object.LastModified });
      if (batch.length >= GC_BATCH) await flush();
    }
    await flush();
    return { deleted, bytesFreed };
  }

  /** Destroys the SDK client (its sockets). */
  async close(): Promise<void> {
    this.client.destroy();
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  /** HeadObject, or null when the key does not exist. */
  private async head(key: string): Promise<HeadObjectCommandOutput | null> {
    try {
      return await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Object stream of a blob key (GetObject body), mapped NotFoundError when it vanished. */
  private async getBody(key: string, contentHash: string, abortSignal?: AbortSignal): Promise<Readable> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), abortSignal ? { abortSignal } : {});
      const body = response.Body;
      if (!(body instanceof Readable)) throw new Error(`GetObject of ${key} returned no Node stream`);
      return body;
    } catch (err) {
      if (isNotFound(err)) throw new NotFoundError(`Blob ${contentHash} not found in artifact store ${this.uri}`, { contentHash });
      throw err;
    }
  }

  /** The streaming upload of a writer's temp object. */
  private newUpload(tempKey: string, body: Readable): Upload {
    return new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: tempKey, Body: body, ContentType: 'application/octet-stream' },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
  }

  private async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Moves a complete temp object to the blob's content address; returns the blob's URI. */
  private async publish(tempKey: string, contentHash: string, size: number): Promise<string> {
    const key = this.blobKey(contentHash);
    const existing = await this.head(key);
    // Identical bytes are stored once. An old copy is refreshed (rewritten with the same bytes) so
    // that the gc grace period protects it again: re-committing counts as "recently written", for
    // at least half the grace period.
    const refresh = existing !== null && this.gcGraceMs > 0 && (existing.LastModified?.getTime() ?? 0) < Date.now() - this.gcGraceMs / 2;
    if (existing === null || refresh) await this.copy(tempKey, key, size);
    // The blob is published: a temp object that fails to go away now is gc's job, not a failed commit.
    await this.deleteKey(tempKey).catch(() => undefined);
    return this.blobUri(contentHash);
  }

  /** Server-side copy; the target key appears only once complete (both CopyObject and multipart). */
  private async copy(sourceKey: string, targetKey: string, size: number): Promise<void> {
    // Each segment URL-encoded, slashes kept: what AWS expects and what simpler servers decode.
    const copySource = `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`;
    if (size <= this.maxSingleCopyBytes) {
      await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: targetKey, CopySource: copySource }));
      return;
    }
    const partBytes = Math.max(MIN_COPY_PART_BYTES, Math.ceil(size / MAX_PARTS));
    const count = Math.ceil(size / partBytes);
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: targetKey, ContentType: 'application/octet-stream' }),
    );
    if (!UploadId) throw new Error(`CreateMultipartUpload for ${targetKey} returned no upload id`);
    try {
      const parts: CompletedPart[] = new Array<CompletedPart>(count);
      const indexes = Array.from({ length: count }, (_, i) => i);
      await forEachLimit(indexes, Math.min(REQUEST_CONCURRENCY, this.queueSize), async (i) => {
        const first = i * partBytes;
        const last = Math.min(size, first + partBytes) - 1;
        const result = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: targetKey,
            UploadId,
            PartNumber: i + 1,
            CopySource: copySource,
            CopySourceRange: `bytes=${first}-${last}`,
          }),
        );
        const etag = result.CopyPartResult?.ETag;
        if (!etag) throw new Error(`UploadPartCopy of part ${i + 1} of ${targetKey} returned no ETag`);
        parts[i] = { PartNumber: i + 1, ETag: etag };
      });
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: targetKey, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: targetKey, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  /** Every object under `prefix`, page by page (ListObjectsV2). */
  private async *list(prefix: string): AsyncGenerator<_Object> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: GC_BATCH, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield object;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** DeleteObjects in requests of at most 1000 keys; throws if the service reports any failure. */
  private async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += GC_BATCH) {
      const chunk = keys.slice(i, i + GC_BATCH);
      const result = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }),
      );
      const errors = result.Errors ?? [];
      if (errors.length > 0) {
        const first = errors[0]!;
        throw new Error(`S3 DeleteObjects failed for ${errors.length} of ${chunk.length} keys in ${this.uri}, e.g. ${first.Key}: ${first.Code} ${first.Message}`);
      }
    }
  }

  /** Aborts multipart uploads of our temp objects that started before the grace period (not ours in flight). */
  private async abortStaleUploads(oldEnough: (date: Date | undefined) => boolean): Promise<void> {
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: this.tempBase,
            ...(keyMarker ? { KeyMarker: keyMarker } : {}),
            ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
          }),
        );
      } catch (err) {
        if (isNotImplemented(err)) return; // e.g. s3rver; a lifecycle rule does this job there
        throw err;
      }
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId) continue;
        if (!TEMP_RE.test(upload.Key.slice(this.tempBase.length)) || inFlightTemps.has(`${this.bucket}/${upload.Key}`) || !oldEnough(upload.Initiated)) continue;
        try {
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }));
        } catch (err) {
          if (!isNotFound(err)) throw err; // NoSuchUpload: finished or aborted meanwhile
        }
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
  }
}


/** What a writer needs from its store (closures over the store's private methods). */
interface WriterOps {
  bucket: string;
  startUpload(tempKey: string, body: Readable): Promise<unknown>;
  publish(tempKey: string, contentHash: string, size: number): Promise<string>;
  deleteKey(key: string): Promise<void>;
}

type UploadOutcome = { ok: true } | { ok: false; error: unknown };

/**
 * Streams bytes into a temp object while hashing them. Each chunk is hashed and copied into pieces of
 * at most 1 MiB that feed lib-storage's Upload through a PassThrough; `write()` waits while that pipe
 * is full, and the Upload reads only as fast as its `queueSize` concurrent part uploads allow, so
 * memory stays around (queueSize + 2) × partSize however large the blob.
 */
class S3BlobWriter extends QueuedBlobWriter {
  private size = 0;
  private readonly body: PassThrough;
  /** Settles (never rejects) when the upload has finished, failed or been torn down. */
  private readonly uploaded: Promise<UploadOutcome>;
  private uploadFailure: unknown = undefined;

  constructor(
    private readonly ops: WriterOps,
    private readonly tempKey: string,
  ) {
    super();
    this.body = new PassThrough({ highWaterMark: WRITE_SLICE_BYTES });
    // Errors reach us through the upload's outcome; without a listener an 'error' event would crash.
    this.body.on('error', () => undefined);
    inFlightTemps.add(this.inFlightId);
    this.uploaded = ops.startUpload(tempKey, this.body).then(
      (): UploadOutcome => ({ ok: true }),
      (error: unknown): UploadOutcome => {
        this.uploadFailure = error;
        // Wake writers waiting for 'drain' that will never come.
        this.body.destroy();
        return { ok: false, error };
      },
    );
  }

  private get inFlightId(): string {
    return `${this.ops.bucket}/${this.tempKey}`;
  }

  protected async writeBytes(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.byteLength; offset += WRITE_SLICE_BYTES) {
      if (this.uploadFailure !== undefined) throw this.uploadFailure;
      if (this.body.destroyed) throw new ValidationError('The blob writer was aborted while writing');
      const slice = bytes.subarray(offset, Math.min(offset + WRITE_SLICE_BYTES, bytes.byteLength));
      this.hash.update(slice);
      // A copy: the caller may reuse its chunk as soon as write() resolves, long before the part is sent.
      const copy = Buffer.allocUnsafe(slice.byteLength);
      copy.set(slice);
      this.size += slice.byteLength;
      if (!this.body.write(copy)) await this.drained();
    }
    if (this.uploadFailure !== undefined) throw this.uploadFailure;
  }

  private drained(): Promise<void> {
    if (this.body.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.body.off('drain', done);
        this.body.off('close', done);
        resolve();
      };
      this.body.on('drain', done);
      this.body.on('close', done);
    });
  }

  protected override async beforeDigest(): Promise<void> {
    this.body.end();
    const outcome = await this.uploaded;
    if (!outcome.ok) throw outcome.error;
  }

  protected async publish(contentHash: string): Promise<BlobInfo> {
    const uri = await this.ops.publish(this.tempKey, contentHash, this.size);
    inFlightTemps.delete(this.inFlightId);
    return { contentHash, size: this.size, uri };
  }

  protected async discard(): Promise<void> {
    this.state = 'aborted';
    // Failing the source makes lib-storage stop, wait for parts in flight and abort the multipart
    // upload before `uploaded` settles; a finished upload leaves a temp object, deleted below.
    // Destroying first also wakes a write waiting for 'drain', which then gives up.
    if (!this.body.writableEnded) this.body.destroy(Object.assign(new Error('Blob writer aborted'), { name: 'AbortError' }));
    await this.writes.settled();
    await this.uploaded;
    try {
      await this.ops.deleteKey(this.tempKey);
    } finally {
      inFlightTemps.delete(this.inFlightId);
    }
  }
}

/** A stored blob in S3; reading starts a GetObject only when bytes are asked for. */
class S3BlobReader implements BlobReader {
  constructor(
    /** GetObject of the blob's key; NotFoundError if it vanished since openReader. */
    private readonly getBody: (abortSignal?: AbortSignal) => Promise<Readable>,
    readonly contentHash: string,
    readonly size: number,
  ) {}

  /** The object's bytes; GetObject is sent on the first read and cancelled if the stream is destroyed first. */
  stream(): Readable {
    const controller = new AbortController();
    const expected = this.size;
    const contentHash = this.contentHash;
    let body: Readable | undefined;
    let started = false;
    let received = 0;
    const out: Readable = new Readable({
      read: () => {
        if (body) {
          body.resume();
          return;
        }
        if (started) return;
        started = true;
        this.getBody(controller.signal).then(
          (source) => {
            if (out.destroyed) {
              source.destroy();
              return;
            }
            body = source;
            source.on('data', (chunk: Buffer) => {
              received += chunk.byteLength;
              if (received > expected) {
                out.destroy(new Error(`Blob ${contentHash} is longer in S3 than its recorded ${expected} bytes`));
                return;
              }
              if (!out.push(chunk)) source.pause();
            });
            source.once('end', () => {
              if (received !== expected) out.destroy(new Error(`Blob ${contentHash} is shorter in S3 (${received} bytes) than its recorded ${expected} bytes`));
              else out.push(null);
            });
            source.once('error', (err) => out.destroy(err));
          },
          (err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))),
        );
      },
      destroy: (err, callback) => {
        controller.abort();
        body?.destroy();
        callback(err);
      },
    });
    return out;
  }

  /** Reads the object into one buffer of exactly `size` bytes, allocated once and filled as data arrives. */
  async bytes(): Promise<Uint8Array> {
    const out = new Uint8Array(new ArrayBuffer(this.size));
    if (this.size === 0) return out;
    const body = await this.getBody();
    let offset = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (offset + chunk.byteLength > this.size) {
          throw new Error(`Blob ${this.contentHash} is longer in S3 than its recorded ${this.size} bytes`);
        }
        out.set(chunk, offset);
        offset += chunk.byteLength;
      }
    } finally {
      body.destroy();
    }
    if (offset !== this.size) {
      throw new Error(`Blob ${this.contentHash} is shorter in S3 (${offset} bytes) than its recorded ${this.size} bytes`);
    }
    return out;
  }
}
