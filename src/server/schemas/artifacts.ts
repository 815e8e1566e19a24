import { z } from '@hono/zod-openapi';
import { DatetimeKeys, MetadataInput, PageQuery, RunMetadataSchema, Timestamp, pageOf, segment } from './common.js';

export const ArtifactVersionSchema = z
  .object({
    id: z.string(),
    artifactId: z.string(),
    name: z.string(),
    version: z.number().int(),
    type: z.enum(['data', 'model', 'deployment']),
    uri: z.string(),
    contentHash: z.string(),
    size: z.number().int(),
    materializer: z.string(),
    dataType: z.string(),
    producerRunId: z.string().nullable(),
    producerStepRunId: z.string().nullable(),
    tags: z.array(z.string()),
    runMetadata: RunMetadataSchema,
    createdAt: Timestamp,
  })
  .openapi('ArtifactVersion');

export const ArtifactVersionPage = pageOf(ArtifactVersionSchema, 'ArtifactVersionPage');

export const BlobInfoSchema = z.object({ contentHash: z.string(), size: z.number().int(), uri: z.string() }).openapi('BlobInfo');

export const CreateArtifactVersionBody = z
  .strictObject({
    name: z.string(),
    version: z.number().int().optional(),
    type: z.string().optional().openapi({ description: 'data (default), model or deployment' }),
    contentHash: z.string().openapi({ description: 'sha256 of bytes uploaded with POST /blobs' }),
    materializer: z.string(),
    dataType: z.string(),
    tags: z.array(z.string()).optional(),
    modelVersionId: z.string().optional(),
    producerRunId: z.string().optional(),
    producerStepRunId: z.string().optional(),
    metadata: MetadataInput.optional(),
    datetimes: DatetimeKeys,
  })
  .openapi('CreateArtifactVersion');

export const ListArtifactVersionsQuery = PageQuery.extend({
  name: z.string().optional(),
  type: z.union([z.string(), z.array(z.string())]).optional().openapi({ description: 'data, model or deployment (repeatable)' }),
  modelVersionId: z.string().optional(),
  runId: z.string().optional(),
});

export const ArtifactParam = z.object({ artifact: segment('artifact', 'Artifact version id, or artifact name') });
export const ArtifactIdParam = z.object({ id: segment('id', 'Artifact version id') });
export const ArtifactGetQuery = z.object({ version: z.string().optional().openapi({ description: 'With a name: the version number (absent → highest)' }) });
export const HashParam = z.object({ hash: z.string().openapi({ param: { name: 'hash', in: 'path' }, description: 'sha256 hex' }) });
