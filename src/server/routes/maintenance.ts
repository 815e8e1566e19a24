import { createRoute } from '@hono/zod-openapi';
import { requireAction, send, type ServerApp } from '../context.js';
import { errors, jsonResponse } from '../schemas/common.js';
import { GcResultSchema, IntegritySchema } from '../schemas/maintenance.js';

const tags = ['maintenance'];

export function registerMaintenanceRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({ method: 'post', path: '/maintenance/gc', tags, summary: 'Free artifact bytes no artifact version refers to (admin)', responses: { 200: jsonResponse(GcResultSchema, 'What was freed'), ...errors() } }),
    async (c) => {
      requireAction(c, 'delete');
      return send(c, await c.get('backend').gcArtifacts());
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/maintenance/integrity', tags, summary: 'Integrity check of the database and registry invariants (admin)', responses: { 200: jsonResponse(IntegritySchema, 'Problems found; empty when healthy'), ...errors() } }),
    async (c) => {
      requireAction(c, 'delete');
      return send(c, { problems: await c.get('backend').checkIntegrity() });
    },
  );
}
