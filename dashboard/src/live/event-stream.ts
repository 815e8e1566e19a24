/**
 * Live updates: reads `GET /api/v1/events` (text/event-stream) with fetch and a stream reader, so that
 * the API key can be sent, and reconnects when the stream drops.
 */
import { apiUrl, authHeaders } from '../api/client';
import { parseEvents, type ServerEvent } from './parse-events';

export type { ServerEvent };

type Listener = (e: ServerEvent) => void;
type StatusListener = (connected: boolean) => void;

/** The one event stream of the app: connect once, fan out to listeners. */
export class EventStream {
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<StatusListener>();
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  connected = false;

  /** Starts reading (again). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.loop(0);
  }

  /** Stops reading and cancels any reconnect. */
  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    if (this.timer) clearTimeout(this.timer);
    this.setConnected(false);
  }

  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to connection changes; returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setConnected(value: boolean): void {
    if (this.connected === value) return;
    this.connected = value;
    for (const l of this.statusListeners) l(value);
  }

  private async loop(failures: number): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    this.controller = controller;
    let retryMs = Math.min(1000 * 2 ** failures, 15_000);
    try {
      const res = await fetch(apiUrl('/events'), { headers: { accept: 'text/event-stream', ...authHeaders() }, signal: controller.signal });
      if (res.status === 404 || res.status === 401 || res.status === 403) {
        // No live events from this server (or not for this key): try again much later.
        retryMs = 60_000;
      } else if (res.ok && res.body) {
        this.setConnected(true);
        failures = -1;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          const { events, rest } = parseEvents(buffer);
          buffer = rest;
          for (const e of events) for (const l of this.listeners) l(e);
        }
        retryMs = 500;
      }
    } catch {
      // dropped or aborted: reconnect below unless stopped
    }
    this.setConnected(false);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.loop(failures + 1), retryMs);
  }
}

/** The app's event stream. */
export const events = new EventStream();
