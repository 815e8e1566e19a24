import { createRoute } from '@hono/zod-openapi';
import { decodeSegment } from '../../backend/wire.js';
import { requireAction, send, type ServerApp } from '../context.js';
import { errors, jsonResponse } from '../schemas/common.js';
import { LineageSchema } from '../schemas/lineage.js';
import { VersionIdParam } from '../schemas/model-versions.js';

/** Registers `GET /model_versions/{id}/lineage`. */
export function registerLineageRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/model_versions/{id}/lineage',
      tags: ['model_versions'],
      summary: 'Lineage graph of a version: producing and consuming runs, their steps, and the artifact versions they read and wrote (≤ 500 nodes)',
      request: { params: VersionIdParam },
      responses: { 200: jsonResponse(LineageSchema, 'The graph'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').getVersionLineage(decodeSegment(c.req.valid('param').id)));
    },
  );
}
