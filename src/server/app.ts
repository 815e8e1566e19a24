import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type Context } from 'hono';
import type { EmbeddedBackend } from '../backend/embedded-backend.js';
import { ACTOR_HEADER, API_PREFIX } from '../backend/wire.js';
import { AuthenticationError, ValidationError } from '../domain/errors.js';
import { validateText } from '../domain/names.js';
import type { ApiKeyService } from './auth/api-key-service.js';
import { bufferedJsonBody } from './buffered-json-body.js';
import type { ServerApp, ServerEnv } from './context.js';
import { notFoundBody, toErrorResponse, validationErrorFromZod } from './error-mapping.js';
import { registerApiKeyRoutes } from './routes/api-keys.js';
import { registerArtifactRoutes } from './routes/artifacts.js';
import { registerDashboardRoutes } from './routes/dashboard-static.js';
import { LiveEvents, registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerInsightRoutes } from './routes/insights.js';
import { registerLineageRoutes } from './routes/lineage.js';
import { registerMaintenanceRoutes } from './routes/maintenance.js';
import { registerModelVersionRoutes } from './routes/model-versions.js';
import { registerModelRoutes } from './routes/models.js';
import { registerPreviewRoutes } from './routes/preview.js';
import { registerRunMetadataRoutes } from './routes/run-metadata.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerStageHistoryRoutes } from './routes/stage-history.js';
import { registerStepRunRoutes } from './routes/step-runs.js';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  backend: EmbeddedBackend;
  /** Verifies `Authorization: Bearer <key>`; null runs the API without authentication (local `modelplane up`). */
  auth: ApiKeyService | null;
  /** Largest JSON request body in bytes (default 8 MiB); blob uploads are streamed and unlimited. */
  maxJsonBytes?: number;
  /** Largest body of `POST /step_runs/{id}/finish`, which carries the step's logs (default 64 MiB). */
  maxFinishBytes?: number;
  /** Receives unexpected errors (with stacks) for the server log. */
  log?: (line: string) => void;
  /** Reported by `/health`. */
  version?: string;
  /** The live event feed of `GET /events`; give one to end its streams on shutdown (default: the app's own). */
  events?: LiveEvents;
  /** Folder of the built dashboard served at `/` (default `<package root>/dist/dashboard`). */
  dashboardDir?: string;
}

/** Paths under the API prefix that need no key. */
const PUBLIC_PATHS = new Set([`${API_PREFIX}/health`, `${API_PREFIX}/openapi.json`]);

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function actorFromHeader(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'anonymous';
  const actor = validateText(ACTOR_HEADER, value, 255) ?? 'anonymous';
  if (/[\u0000-\u001f\u007f]/.test(actor)) throw new ValidationError(`The ${ACTOR_HEADER} header contains control characters.`);
  return actor;
}

/**
 * The REST API of DESIGN.md §4 as a hono app: routes under `/api/v1`, the OpenAPI document at
 * `/api/v1/openapi.json`, one error shape. Serve it with @hono/node-server, or call `app.request()`.
 */
export function createApp(options: CreateAppOptions): Hono {
  const { backend, auth, log } = options;
  const maxJsonBytes = options.maxJsonBytes ?? 8 * 1024 * 1024;
  const maxFinishBytes = options.maxFinishBytes ?? 64 * 1024 * 1024;

  const onError = (err: unknown, c: Context) => {
    const { status, body } = toErrorResponse(err, log);
    if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="modelplane"');
    return c.json(body, status);
  };

  const api: ServerApp = new OpenAPIHono<ServerEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationErrorFromZod(result.target === 'json' ? 'body' : result.target, result.error);
    },
  });
  api.onError(onError);

  api.use('*', async (c, next) => {
    c.set('backend', backend);
    c.set('auth', auth);
    c.set('principal', null);
    if (auth && !PUBLIC_PATHS.has(c.req.path)) {
      const header = c.req.header('authorization');
      if (header === undefined) throw new AuthenticationError('This server needs an API key: send "Authorization: Bearer <key>" (modelplane login URL --api-key KEY, or MODELPLANE_API_KEY).');
      const match = BEARER.exec(header);
      if (!match) throw new AuthenticationError('The Authorization header must be "Bearer <api key>".');
      const principal = await auth.verify(match[1]);
      c.set('principal', principal);
      c.set('actor', principal.name);
    } else {
      c.set('actor', actorFromHeader(c.req.header(ACTOR_HEADER)));
    }
    await next();
  });

  const jsonLimit = bufferedJsonBody(maxJsonBytes);
  const finishLimit = bufferedJsonBody(maxFinishBytes);
  api.use('*', async (c, next) => {
    // GET/HEAD carry no body; asking hono's bodyLimit would make @hono/node-server build a full
    // undici Request for every read (~10 % of a GET's server CPU).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.method === 'POST' && c.req.path === `${API_PREFIX}/blobs`) return next();
    if (c.req.method === 'POST' && /\/step_runs\/[^/]+\/finish$/.test(c.req.path)) return finishLimit(c, next);
    return jsonLimit(c, next);
  });

  registerHealthRoutes(api, options.version ?? '0.1.0');
  registerModelRoutes(api);
  registerStageHistoryRoutes(api);
  registerModelVersionRoutes(api);
  registerArtifactRoutes(api);
  registerRunRoutes(api);
  registerStepRunRoutes(api);
  registerRunMetadataRoutes(api);
  registerApiKeyRoutes(api);
  registerMaintenanceRoutes(api);
  registerInsightRoutes(api);
  registerLineageRoutes(api);
  registerPreviewRoutes(api);
  registerEventRoutes(api, options.events ?? new LiveEvents(backend, log === undefined ? {} : { log }));

  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A modelplane API key' });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'modelplane', version: options.version ?? '0.1.0', description: 'Model control plane REST API. Errors: { error: { code, message, details? } }.' },
    servers: [{ url: API_PREFIX }],
    security: [{ bearer: [] }],
  });

  const root = new Hono();
  root.onError(onError);
  root.notFound((c) => c.json(notFoundBody(c.req.method, c.req.path), 404));
  root.route(API_PREFIX, api);
  registerDashboardRoutes(root, options.dashboardDir);
  return root;
}
