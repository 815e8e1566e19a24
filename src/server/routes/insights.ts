import { createRoute } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import { decodeSegment } from '../../backend/wire.js';
import { requireAction, send, type ServerApp } from '../context.js';
import { errors, jsonResponse } from '../schemas/common.js';
import { MetadataKeysSchema, MetricSeriesQuery, MetricSeriesSchema } from '../schemas/insights.js';
import { ModelParam } from '../schemas/models.js';

const tags = ['models'];

/** Registers the metadata insight routes of a model: its metadata paths and a metric across versions. */
export function registerInsightRoutes(app: ServerApp): void {
  // A series at 10,000 versions is ~1.5 MB of JSON (~10 % of that gzipped): worth compressing off localhost.
  app.use('/models/:model/metric_series', compress({ contentTypeFilter: /^application\/json/ }));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{model}/metadata_keys',
      tags,
      summary: "Metadata paths of a model's versions (top-level keys and dotted paths to nested values, depth ≤ 4) with type and count",
      request: { params: ModelParam },
      responses: { 200: jsonResponse(MetadataKeysSchema, 'The metadata paths, sorted'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, { keys: await c.get('backend').getMetadataKeys(decodeSegment(c.req.valid('param').model)) });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{model}/metric_series',
      tags,
      summary: 'Every version with a numeric value at a metadata path, by version number (up to 100,000 points)',
      request: { params: ModelParam, query: MetricSeriesQuery },
      responses: { 200: jsonResponse(MetricSeriesSchema, 'The series'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').getMetricSeries(decodeSegment(c.req.valid('param').model), c.req.valid('query').key));
    },
  );
}
