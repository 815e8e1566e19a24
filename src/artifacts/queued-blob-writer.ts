import { createHash, type Hash } from 'node:crypto';
import { ValidationError } from '../domain/errors.js';
import type { BlobInfo, BlobWriter } from './artifact-store.js';
import { SerialWrites } from './serial-writes.js';

/** Where a blob writer is in its life. */
export type WriterState = 'open' | 'committing' | 'committed' | 'aborted';

/**
 * What every artifact store's blob writer shares: writes queued in order (callers need not await each
 * one), a sha256 of everything written, and one commit/abort state machine — commit drains the queue,
 * verifies the expected hash and publishes; a failed commit or an abort discards the temporary bytes,
 * and an abort during a commit waits for it instead of racing its publish. A store supplies how bytes
 * are written, published and discarded.
 */
export abstract class QueuedBlobWriter implements BlobWriter {
  /** sha256 of the bytes written; subclasses update it as they write. */
  protected readonly hash: Hash = createHash('sha256');
  protected state: WriterState = 'open';
  protected readonly writes = new SerialWrites();
  #committing: Promise<BlobInfo> | undefined;

  /** Writes one chunk (after every earlier one) and hashes it. */
  protected abstract writeBytes(bytes: Uint8Array): Promise<void>;

  /** Called once every write is done, before the hash is taken (e.g. to end an upload). */
  protected async beforeDigest(): Promise<void> {}

  /** Makes the bytes durable and visible under `contentHash`; the hash has been verified. */
  protected abstract publish(contentHash: string): Promise<BlobInfo>;

  /** Throws away what was written; sets the state to `aborted`. */
  protected abstract discard(): Promise<void>;

  write(chunk: Uint8Array | string): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new ValidationError(`Cannot write to a blob writer that is ${this.state}`));
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    return this.writes.enqueue(() => this.writeBytes(bytes));
  }

  commit(expectedHash?: string): Promise<BlobInfo> {
    if (this.state !== 'open') {
      return Promise.reject(new ValidationError(`Cannot commit a blob writer that is ${this.state}`));
    }
    this.state = 'committing';
    this.#committing = this.#finish(expectedHash);
    return this.#committing;
  }

  async abort(): Promise<void> {
    // Aborting during a commit must not race its publish; a failed commit has already cleaned up.
    if (this.#committing) await this.#committing.catch(() => undefined);
    if (this.state === 'committed' || this.state === 'aborted') return;
    await this.discard();
  }

  async #finish(expectedHash: string | undefined): Promise<BlobInfo> {
    try {
      await this.writes.drain();
      await this.beforeDigest();
      const contentHash = this.hash.digest('hex');
      if (expectedHash !== undefined && expectedHash.toLowerCase() !== contentHash) {
        throw new ValidationError(`Content hash mismatch: expected ${expectedHash}, got ${contentHash}`, {
          expected: expectedHash,
          actual: contentHash,
        });
      }
      const info = await this.publish(contentHash);
      this.state = 'committed';
      return info;
    } catch (err) {
      // Keep the original error; a failed clean-up leaves only a temporary that gc removes.
      await this.discard().catch(() => undefined);
      throw err;
    }
  }
}
