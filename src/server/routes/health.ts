import { createRoute } from '@hono/zod-openapi';
import { send, type ServerApp } from '../context.js';
import { jsonResponse } from '../schemas/common.js';
import { HealthSchema } from '../schemas/health.js';

export function registerHealthRoutes(app: ServerApp, version: string): void {
  app.openapi(
    createRoute({ method: 'get', path: '/health', tags: ['health'], summary: 'Liveness (no API key needed)', responses: { 200: jsonResponse(HealthSchema, 'The server is up') } }),
    (c) => send(c, { status: 'ok', version, auth: c.get('auth') !== null }),
  );
}
