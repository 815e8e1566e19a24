import { z } from '@hono/zod-openapi';
import { ModelCardInput } from './models.js';
import { PageQuery, RunMetadataSchema, Timestamp, pageOf, segment } from './common.js';

export const ModelVersionSchema = z
  .object({
    id: z.string(),
    modelId: z.string(),
    modelName: z.string(),
    number: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    stage: z.enum(['none', 'staging', 'production', 'archived']),
    tags: z.array(z.string()),
    runMetadata: RunMetadataSchema,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('ModelVersion');

export const ModelVersionPage = pageOf(ModelVersionSchema, 'ModelVersionPage');

export const CreateModelVersionBody = z
  .strictObject({
    model: z.string().openapi({ description: 'Model name or id' }),
    name: z.string().optional(),
    description: z.string().nullable().optional(),
    tags: z.array(z.string()).optional(),
    createModel: ModelCardInput.optional().openapi({ description: 'Create the model (with this card) when it does not exist' }),
  })
  .openapi('CreateModelVersion');

export const GetOrCreateModelVersionBody = CreateModelVersionBody.extend({ name: z.string() }).openapi('GetOrCreateModelVersion');

export const GetOrCreateResult = z.object({ version: ModelVersionSchema, created: z.boolean() }).openapi('GetOrCreateModelVersionResult');

export const UpdateModelVersionBody = z
  .strictObject({
    stage: z.string().optional().openapi({ description: 'none, staging, production or archived' }),
    force: z.boolean().optional().openapi({ description: 'Move the holder of an exclusive stage to archived' }),
    reason: z.string().optional(),
    name: z.string().optional(),
    description: z.string().nullable().optional(),
    addTags: z.array(z.string()).optional(),
    removeTags: z.array(z.string()).optional(),
  })
  .openapi('UpdateModelVersion');

export const ListModelVersionsQuery = PageQuery.extend({
  model: z.string().openapi({ description: 'Model name or id' }),
  stage: z.string().optional(),
  tag: z.string().optional(),
  name: z.string().optional(),
  filter: z.string().optional(),
  sortBy: z.string().optional(),
});

export const VersionIdParam = z.object({ id: segment('id', 'Model version id') });

export const SelectorParams = z.object({
  model: segment('model', 'Model name or id'),
  selector: segment('selector', 'Version number, name, id, or stage (latest, staging, production, archived)'),
});
