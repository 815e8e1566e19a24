import { z } from '@hono/zod-openapi';

/** Answer of `GET /artifact_versions/{id}/preview`: what the dashboard can show of a stored value. */
export const PreviewSchema = z
  .union([
    z.object({ kind: z.literal('json'), value: z.unknown(), truncated: z.boolean() }),
    z.object({ kind: z.literal('table'), columns: z.array(z.string()), rows: z.array(z.array(z.unknown())), totalRows: z.number().int() }),
    z.object({ kind: z.literal('image'), mediaType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']) }),
    z.object({ kind: z.literal('text'), text: z.string(), truncated: z.boolean() }),
    z.object({ kind: z.literal('binary'), size: z.number().int(), dataType: z.string(), materializer: z.string() }),
  ])
  .openapi('ArtifactPreview');
