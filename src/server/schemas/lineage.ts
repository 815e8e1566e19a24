import { z } from '@hono/zod-openapi';

/** Answer of `GET /model_versions/{id}/lineage`. */
export const LineageSchema = z
  .object({
    nodes: z.array(
      z.object({
        id: z.string().openapi({ description: '`artifact:<id>`, `step:<id>`, `run:<id>` or `version:<id>`' }),
        kind: z.enum(['artifact', 'step', 'run', 'model_version']),
        label: z.string(),
        status: z.string().optional(),
        artifactType: z.enum(['model', 'data', 'deployment']).optional(),
        refId: z.string().openapi({ description: 'The raw id of the artifact version, step run, run or model version' }),
      }),
    ),
    edges: z.array(z.object({ source: z.string(), target: z.string(), label: z.string().optional() })),
    truncated: z.boolean().openapi({ description: 'True when the graph was cut at 500 nodes (or 50 consuming runs)' }),
  })
  .openapi('Lineage');
