import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { EmbeddedBackend } from '../backend/embedded-backend.js';
import type { ApiKeyService } from './auth/api-key-service.js';
import { authorize, type Action, type Principal } from './auth/roles.js';

/** What every request handler can reach. */
export interface ServerEnv {
  Variables: {
    backend: EmbeddedBackend;
    auth: ApiKeyService | null;
    /** The authenticated key, or null when the server runs without authentication. */
    principal: Principal | null;
    /** Recorded as the actor of stage transitions. */
    actor: string;
  };
}

/** The app type every routes module registers on. */
export type ServerApp = OpenAPIHono<ServerEnv>;

/** Throws `AuthorizationError` unless the request's key may do `action` (no-op without authentication). */
export function requireAction(c: Context<ServerEnv>, action: Action): void {
  const principal = c.get('principal');
  if (principal) authorize(principal, action);
}

/**
 * Answers with `data` as JSON. Entities carry `Date`s, which JSON turns into ISO strings as the
 * response schemas describe; the cast tells the typed router so.
 */
export function send(c: Context<ServerEnv>, data: unknown, status: 200 | 201 = 200): never {
  return c.json(data as object, status) as never;
}

/** An empty 204 answer. */
export function noContent(c: Context<ServerEnv>): never {
  return c.body(null, 204) as never;
}
