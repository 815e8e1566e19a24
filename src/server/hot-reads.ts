import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmbeddedBackend } from '../backend/embedded-backend.js';
import { ACTOR_HEADER, API_PREFIX } from '../backend/wire.js';
import type { ApiKeyService } from './auth/api-key-service.js';
import { authorize } from './auth/roles.js';

/** A node request listener. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of {@link withHotReads}. */
export interface HotReadOptions {
  backend: EmbeddedBackend;
  /** Null when the server runs without authentication. */
  auth: ApiKeyService | null;
  /** Most answers kept (default 1,024); the cache is emptied when full. */
  maxEntries?: number;
}

/** What the fast path answers: a model's version by selector, e.g. `GET /api/v1/models/iris/versions/production`. */
const HOT_PATH = new RegExp(`^${API_PREFIX.replace(/\//g, '\\/')}\\/models\\/([A-Za-z0-9._~-]{1,255})\\/versions\\/([A-Za-z0-9._~-]{1,255})$`);
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Wraps the hono app's node listener with a fast path for the hottest read of a model registry —
 * "which version is in production?" (`GET /api/v1/models/{model}/versions/{selector}`), which every
 * inference job asks. Through hono that read costs ~5× a bare route on this hardware (routing, zod,
 * middleware and Request/Response objects around a 20 µs query); here it is answered on the node
 * request directly and, when the store can tell that nothing was committed since (SQLite's
 * `PRAGMA data_version` plus our own write count, see `Store.changeToken`), from the JSON of the
 * previous identical read.
 *
 * It only ever answers 200 with exactly what the hono route would answer (same backend call, same JSON;
 * `test/server/hot-reads.test.ts` compares them). Anything else — an unusual name, a missing or bad
 * key, a missing version, any error — goes to the hono app untouched, so errors keep their one mapping.
 */
export function withHotReads(listener: RequestListener, options: HotReadOptions): RequestListener {
  const { backend, auth } = options;
  const maxEntries = options.maxEntries ?? 1024;
  const cache = new Map<string, { token: string; body: string }>();

  const answer = async (req: IncomingMessage, res: ServerResponse, model: string, selector: string): Promise<boolean> => {
    // Without auth the app validates the actor header even on reads; leave such requests to it.
    if (!auth && req.headers[ACTOR_HEADER.toLowerCase()] !== undefined) return false;
    if (auth) {
      const match = BEARER.exec(req.headers.authorization ?? '');
      if (!match) return false;
      try {
        authorize(await auth.verify(match[1]), 'read');
      } catch {
        return false;
      }
    }
    // Taken before the read: an answer is labelled with a token no newer than the data it shows.
    const token = backend.changeToken();
    const key = `${model}/${selector}`;
    let body: string | undefined;
    const hit = token === null ? undefined : cache.get(key);
    if (hit && hit.token === token) {
      body = hit.body;
    } else {
      try {
        body = JSON.stringify(await backend.getModelVersion(model, selector));
      } catch {
        return false;
      }
      if (token !== null) {
        if (cache.size >= maxEntries) cache.clear();
        cache.set(key, { token, body });
      }
    }
    if (res.destroyed) return true;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return true;
  };

  return (req, res) => {
    const match = req.method === 'GET' && req.url !== undefined ? HOT_PATH.exec(req.url) : null;
    if (!match || match[1] === '.' || match[1] === '..' || match[2] === '.' || match[2] === '..') {
      listener(req, res);
      return;
    }
    answer(req, res, match[1]!, match[2]!).then(
      (done) => {
        if (!done) listener(req, res);
      },
      () => listener(req, res),
    );
  };
}
