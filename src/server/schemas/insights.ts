import { z } from '@hono/zod-openapi';
import { Timestamp } from './common.js';

/** Answer of `GET /models/{model}/metadata_keys`. */
export const MetadataKeysSchema = z
  .object({
    keys: z.array(
      z.object({
        key: z.string().openapi({ example: 'evaluation_metrics.accuracy' }),
        type: z.enum(['number', 'string', 'boolean', 'object', 'array', 'null']),
        count: z.number().int().openapi({ description: 'Versions with a current value at this path' }),
      }),
    ),
  })
  .openapi('MetadataKeys');

/** Query of `GET /models/{model}/metric_series`. */
export const MetricSeriesQuery = z.object({
  key: z.string({ error: 'Name the metadata path: ?key=evaluation_metrics.accuracy' }).openapi({ description: 'Dotted metadata path', example: 'evaluation_metrics.accuracy' }),
});

/** Answer of `GET /models/{model}/metric_series`. */
export const MetricSeriesSchema = z
  .object({
    key: z.string(),
    points: z.array(
      z.object({
        versionId: z.string(),
        number: z.number().int(),
        name: z.string(),
        stage: z.enum(['none', 'staging', 'production', 'archived']),
        value: z.number(),
        createdAt: Timestamp,
      }),
    ),
  })
  .openapi('MetricSeries');
