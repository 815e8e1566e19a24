import { createServer, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { S3ConnectionOptions } from '../artifacts/s3-artifact-store.js';
import { EmbeddedBackend } from '../backend/embedded-backend.js';
import { createApp } from './app.js';
import { ApiKeyService } from './auth/api-key-service.js';
import { LiveEvents } from './routes/events.js';
import { withHotReads, type RequestListener } from './hot-reads.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** `sqlite://PATH` or `postgres://…`. */
  database: string;
  /** `file://PATH`, a folder, or `s3://BUCKET/PREFIX`. */
  artifactStore: string;
  s3?: S3ConnectionOptions;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8237; 0 picks a free port. */
  port?: number;
  /** Require an API key on every endpoint but /health. */
  auth: boolean;
  /** The bootstrap admin key to install when no admin key is active (MODELPLANE_ADMIN_KEY). */
  adminKey?: string;
  log?: (line: string) => void;
  /** After this long, `close()` drops connections whose requests have not finished (default 25 s). */
  closeGraceMs?: number;
  /** Folder of the built dashboard served at `/` (default `<package root>/dist/dashboard`). */
  dashboardDir?: string;
}

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  /** The admin key generated on this start (print it once), or null when one existed or came from `adminKey`. */
  adminKey: string | null;
  /** Stops accepting connections, lets in-flight requests finish, then closes the backend. */
  close(): Promise<void>;
}

/** `http.createServer` with the {@link withHotReads} fast path in front of the hono listener. */
function hotReadServer(backend: EmbeddedBackend, auth: ApiKeyService | null): typeof createServer {
  return ((opts: ServerOptions, listener: RequestListener) => createServer(opts, withHotReads(listener, { backend, auth }))) as typeof createServer;
}

/** Opens the store, bootstraps the admin key (with auth), and serves the REST API. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const backend = await EmbeddedBackend.open({
    database: options.database,
    artifacts: options.artifactStore,
    ...(options.s3 === undefined ? {} : { s3: options.s3 }),
    actor: 'server',
  });
  let server: ServerType;
  let adminKey: string | null = null;
  let port: number;
  let events: LiveEvents | undefined;
  try {
    let auth: ApiKeyService | null = null;
    if (options.auth) {
      auth = new ApiKeyService(backend.store);
      const created = await auth.ensureAdminKey(options.adminKey);
      if (created?.source === 'generated') adminKey = created.key;
      if (created?.source === 'environment') log('Installed the admin API key given in MODELPLANE_ADMIN_KEY.');
    }
    events = new LiveEvents(backend, { log });
    const app = createApp({ backend, auth, log, events, ...(options.dashboardDir === undefined ? {} : { dashboardDir: options.dashboardDir }) });
    const host = options.host ?? '127.0.0.1';
    ({ server, port } = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8237, createServer: hotReadServer(backend, auth) }, (info: AddressInfo) => resolve({ server: s, port: info.port }));
      s.once('error', reject);
    }));
    const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${shownHost}:${port}`,
      port,
      adminKey,
      close() {
        closing ??= (async () => {
          // Event streams never finish on their own: end them first so that their connections go idle and close.
          events?.close();
          await new Promise<void>((resolve) => {
            const httpServer = server as import('node:http').Server;
            const sweep = setInterval(() => httpServer.closeIdleConnections?.(), 50);
            const force = setTimeout(() => {
              log('Closing: requests still running after the grace period were cut off.');
              httpServer.closeAllConnections?.();
            }, options.closeGraceMs ?? 25_000);
            httpServer.close(() => {
              clearInterval(sweep);
              clearTimeout(force);
              resolve();
            });
            httpServer.closeIdleConnections?.();
          });
          await backend.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await backend.close().catch(() => undefined);
    throw err;
  }
}
