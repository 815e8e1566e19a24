import { createRoute } from '@hono/zod-openapi';
import { metadataFromWire } from '../../backend/wire.js';
import type { MetadataResourceType } from '../../domain/entities.js';
import { noContent, requireAction, type ServerApp } from '../context.js';
import { errors, jsonBody } from '../schemas/common.js';
import { LogMetadataBody } from '../schemas/run-metadata.js';

export function registerRunMetadataRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/run_metadata',
      tags: ['run_metadata'],
      summary: 'Append metadata to a model version, artifact version, step run or pipeline run (all keys or none)',
      request: jsonBody(LogMetadataBody),
      responses: { 204: { description: 'Logged' }, ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'write');
      const { targetType, targetId, metadata, datetimes } = c.req.valid('json');
      await c.get('backend').logMetadata({ type: targetType as MetadataResourceType, id: targetId }, metadataFromWire({ metadata, ...(datetimes ? { datetimes } : {}) }));
      return noContent(c);
    },
  );
}
