import type { EmbeddedBackend } from '../../backend/embedded-backend.js';
import { requireAction, type ServerApp } from '../context.js';
import { errors } from '../schemas/common.js';

/** Options of {@link LiveEvents}. */
export interface LiveEventsOptions {
  /** How often the stage history is polled while someone listens (default 500 ms). */
  pollMs?: number;
  /** How often a `: ping` comment keeps idle streams (and proxies) alive (default 15 s). */
  pingMs?: number;
  /** Receives poll failures for the server log. */
  log?: (line: string) => void;
}

/** One listener of the live feed. */
interface Subscriber {
  send(text: string): void;
  end(): void;
}

/**
 * Positions below the highest one seen that are read again on every poll. A PostgreSQL sequence hands
 * out positions at insert time but transactions commit in any order, so a transition with a lower
 * position can become visible after a higher one; re-reading a short window catches it.
 */
const LOOKBACK = 100;
/** New transitions sent per poll at most; the rest come with the next poll. */
const BATCH = 500;
/**
 * New versions are looked for in this trailing window of creation times: a version's `created_at` is
 * taken when its transaction starts, and the transaction (maybe in another process, with its own
 * clock) commits a little later. Versions already announced are remembered for twice as long.
 */
const VERSION_WINDOW_MS = 10_000;
/** A client that stopped reading is dropped once this many chunks wait for it. */
const MAX_QUEUED_CHUNKS = 1000;

/**
 * The live event feed of a server: while at least one client listens, it polls the store's stage
 * history for positions it has not sent yet, and for versions created since (so changes by any process
 * on the same database appear), and sends them as SSE `stage_change` and `version_created` events to
 * every listener. `close()` ends every stream.
 */
export class LiveEvents {
  private readonly backend: EmbeddedBackend;
  private readonly pollMs: number;
  private readonly pingMs: number;
  private readonly log: (line: string) => void;
  private readonly subscribers = new Set<Subscriber>();
  private pollTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  /** Bumped on every start and stop, so that a poll that outlived its session sends nothing. */
  private generation = 0;
  /** Highest position present when polling started: nothing at or below it is sent. */
  private floor: number | undefined;
  private high = 0;
  private readonly sent = new Set<number>();
  /** When polling started (this process's clock): versions created before are not announced. */
  private startedAt = 0;
  /** Announced version ids → when they were announced. */
  private readonly announced = new Map<string, number>();
  private polling = false;
  /** The store's change token at the start of the last successful poll (SQLite): unchanged means nothing to read. */
  private lastToken: string | null = null;
  /** True after a failed poll until one succeeds (failures are logged once). */
  private failing = false;
  private closed = false;

  constructor(backend: EmbeddedBackend, options: LiveEventsOptions = {}) {
    this.backend = backend;
    this.pollMs = options.pollMs ?? 500;
    this.pingMs = options.pingMs ?? 15_000;
    this.log = options.log ?? (() => undefined);
  }

  /** Number of open streams. */
  get listeners(): number {
    return this.subscribers.size;
  }

  /** True while the store is being polled (only with at least one listener). */
  get active(): boolean {
    return this.pollTimer !== undefined;
  }

  /** Adds a listener and returns its unsubscribe function; after `close()` the listener is ended at once. */
  subscribe(subscriber: Subscriber): () => void {
    if (this.closed) {
      subscriber.end();
      return () => undefined;
    }
    this.subscribers.add(subscriber);
    if (this.subscribers.size === 1) this.start();
    return () => this.unsubscribe(subscriber);
  }

  /** Ends every stream and stops polling; later subscribers are ended immediately. */
  close(): void {
    this.closed = true;
    for (const s of [...this.subscribers]) {
      this.subscribers.delete(s);
      s.end();
    }
    this.stop();
  }

  private unsubscribe(subscriber: Subscriber): void {
    if (this.subscribers.delete(subscriber) && this.subscribers.size === 0) this.stop();
  }

  private start(): void {
    const generation = ++this.generation;
    this.floor = undefined;
    this.sent.clear();
    this.announced.clear();
    this.startedAt = Date.now();
    this.lastToken = null;
    this.pollTimer = setInterval(() => void this.poll(generation), this.pollMs);
    this.pingTimer = setInterval(() => this.broadcast(': ping\n\n'), this.pingMs);
    // The starting position is read first; polls before it is known do nothing.
    void this.backend.lastStageTransitionSeq().then(
      (seq) => {
        if (generation !== this.generation) return;
        this.floor = seq;
        this.high = seq;
      },
      (err: unknown) => this.log(`live events: cannot read the stage history: ${String(err)}`),
    );
  }

  private stop(): void {
    this.generation++;
    clearInterval(this.pollTimer);
    clearInterval(this.pingTimer);
    this.pollTimer = undefined;
    this.pingTimer = undefined;
  }

  private async poll(generation: number): Promise<void> {
    if (this.polling || this.floor === undefined) return;
    // Taken before reading; while nothing was committed anywhere since the last poll, skip both queries.
    const token = this.backend.changeToken();
    if (token !== null && token === this.lastToken) return;
    this.polling = true;
    try {
      const after = Math.max(this.floor, this.high - LOOKBACK);
      const rows = await this.backend.listStageTransitionsAfter(after, LOOKBACK + BATCH);
      if (generation !== this.generation) return;
      for (const { modelName, transition } of rows) {
        if (this.sent.has(transition.id)) continue;
        this.sent.add(transition.id);
        this.high = Math.max(this.high, transition.id);
        const data = JSON.stringify({ modelId: transition.modelId, modelName, transition });
        this.broadcast(`id: ${transition.id}\nevent: stage_change\ndata: ${data}\n\n`);
      }
      for (const seq of this.sent) if (seq <= this.high - LOOKBACK) this.sent.delete(seq);
      await this.pollVersions(generation);
      if (generation === this.generation) this.lastToken = token;
      if (this.failing) this.log('live events: polling works again.');
      this.failing = false;
    } catch (err) {
      // A passing database error: the next poll tries again. Said once, not twice a second while it lasts.
      if (generation === this.generation && !this.failing) this.log(`live events: poll failed: ${err instanceof Error ? err.message : String(err)}`);
      this.failing = true;
    } finally {
      this.polling = false;
    }
  }

  private async pollVersions(generation: number): Promise<void> {
    const now = Date.now();
    const since = new Date(Math.max(this.startedAt, now - VERSION_WINDOW_MS));
    const created = await this.backend.listVersionsCreatedSince(since, BATCH);
    if (generation !== this.generation) return;
    for (const v of created) {
      if (this.announced.has(v.versionId)) continue;
      this.announced.set(v.versionId, now);
      const data = JSON.stringify({ modelId: v.modelId, modelName: v.modelName, versionId: v.versionId, number: v.number, name: v.name });
      this.broadcast(`event: version_created\ndata: ${data}\n\n`);
    }
    for (const [id, at] of this.announced) if (at < now - 2 * VERSION_WINDOW_MS) this.announced.delete(id);
  }

  private broadcast(text: string): void {
    for (const s of this.subscribers) s.send(text);
  }
}

const encoder = new TextEncoder();

/** No caching, no transformation (compression would hold events back), no proxy buffering. */
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };

/** Registers `GET /events`, the server-sent event stream of `events`. */
export function registerEventRoutes(app: ServerApp, events: LiveEvents): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/events',
    tags: ['events'],
    summary:
      'Live events as server-sent events: `event: stage_change` with data { modelId, modelName, transition }, `event: version_created` with data { modelId, modelName, versionId, number, name }, and a `: ping` comment every 15 s. Changes made by any process on the same database appear within about a second.',
    responses: { 200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...errors() },
  });
  app.get('/events', (c) => {
    requireAction(c, 'read');
    // hono answers HEAD with this handler and drops the body unread: a stream would never be cancelled.
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers: SSE_HEADERS }) as never;
    let unsubscribe: (() => void) | undefined;
    let done = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const end = () => {
          if (done) return;
          done = true;
          unsubscribe?.();
          try {
            controller.close();
          } catch {
            // already closed by the reader going away
          }
        };
        controller.enqueue(encoder.encode(': connected\nretry: 3000\n\n'));
        unsubscribe = events.subscribe({
          send(text) {
            if (done) return;
            if ((controller.desiredSize ?? 0) < -MAX_QUEUED_CHUNKS) return end();
            controller.enqueue(encoder.encode(text));
          },
          end,
        });
        if (done) unsubscribe();
      },
      cancel() {
        done = true;
        unsubscribe?.();
      },
    });
    return new Response(stream, { status: 200, headers: SSE_HEADERS }) as never;
  });
}
