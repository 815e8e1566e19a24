import { createRoute } from '@hono/zod-openapi';
import { decodeSegment } from '../../backend/wire.js';
import { ValidationError } from '../../domain/errors.js';
import { parsePageRequest } from '../../domain/pagination.js';
import type { ApiKeyService } from '../auth/api-key-service.js';
import { parseRole } from '../auth/roles.js';
import { requireAction, send, type ServerApp } from '../context.js';
import { errors, jsonBody, jsonResponse } from '../schemas/common.js';
import { ApiKeyIdParam, ApiKeyPage, ApiKeySchema, CreateApiKeyBody, CreatedApiKeySchema, ListApiKeysQuery, WhoAmISchema } from '../schemas/api-keys.js';

const tags = ['api_keys'];

function keys(service: ApiKeyService | null): ApiKeyService {
  if (!service) throw new ValidationError('This server runs without authentication: there are no API keys to manage.');
  return service;
}

export function registerApiKeyRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api_keys/me', tags, summary: 'Who the presented key is', responses: { 200: jsonResponse(WhoAmISchema, 'The caller'), ...errors() } }),
    (c) => {
      const p = c.get('principal');
      return send(c, { authenticated: p !== null, id: p?.id ?? null, name: p?.name ?? null, role: p?.role ?? null });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api_keys', tags, summary: 'List API keys (admin)', request: { query: ListApiKeysQuery }, responses: { 200: jsonResponse(ApiKeyPage, 'One page of keys'), ...errors() } }),
    async (c) => {
      requireAction(c, 'manage_keys');
      const q = c.req.valid('query');
      return send(c, await keys(c.get('auth')).list({ includeRevoked: q.includeRevoked !== 'false', page: parsePageRequest(q.page, q.size) }));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api_keys',
      tags,
      summary: 'Create an API key (admin); the raw key is in the answer, once',
      request: jsonBody(CreateApiKeyBody),
      responses: { 201: jsonResponse(CreatedApiKeySchema, 'The new key'), ...errors(409) },
    }),
    async (c) => {
      requireAction(c, 'manage_keys');
      const { name, role } = c.req.valid('json');
      return send(c, await keys(c.get('auth')).create({ name, role: parseRole(role) }), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api_keys/{id}', tags, summary: 'Get an API key (admin)', request: { params: ApiKeyIdParam }, responses: { 200: jsonResponse(ApiKeySchema, 'The key'), ...errors(404) } }),
    async (c) => {
      requireAction(c, 'manage_keys');
      return send(c, await keys(c.get('auth')).get(decodeSegment(c.req.valid('param').id)));
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api_keys/{id}', tags, summary: 'Revoke an API key (admin)', request: { params: ApiKeyIdParam }, responses: { 200: jsonResponse(ApiKeySchema, 'The revoked key'), ...errors(404) } }),
    async (c) => {
      requireAction(c, 'manage_keys');
      return send(c, await keys(c.get('auth')).revoke(decodeSegment(c.req.valid('param').id)));
    },
  );
}
