/**
 * Runs a blob writer's writes one after another, so callers that do not await each `write()` still
 * get their bytes in order, and remembers the first failure so that later writes and the commit
 * re-raise it instead of publishing a blob with a hole in it.
 */
export class SerialWrites {
  #tail: Promise<void> = Promise.resolve();
  #failure: unknown = undefined;

  /** Queues `write` after every earlier one; rejects if it (or an earlier write) failed. */
  enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.#tail.then(() => {
      if (this.#failure !== undefined) throw this.#failure;
      return write();
    });
    // Keep the chain alive after a failure; the failure itself is remembered and re-raised.
    this.#tail = next.catch((err: unknown) => {
      this.#failure ??= err;
    });
    return next;
  }

  /** Waits for every queued write, then throws the first failure if there was one. */
  async drain(): Promise<void> {
    await this.#tail;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Waits for every queued write, ignoring failures (for abort paths). */
  settled(): Promise<void> {
    return this.#tail;
  }
}
