import { z } from '@hono/zod-openapi';
import { PageQuery, Timestamp, pageOf, segment } from './common.js';

const card = {
  license: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  audience: z.string().nullable().optional(),
  useCases: z.string().nullable().optional(),
  limitations: z.string().nullable().optional(),
  tradeOffs: z.string().nullable().optional(),
  ethics: z.string().nullable().optional(),
};

/** The model card fields (shared with model versions' `createModel`). */
export const ModelCardInput = z.strictObject({ ...card, tags: z.array(z.string()).optional() });

/** A short reference to a version: id, number and name. */
export const VersionRefSchema = z.object({ id: z.string(), number: z.number().int(), name: z.string() }).openapi('VersionRef');

export const ModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    license: z.string().nullable(),
    description: z.string().nullable(),
    audience: z.string().nullable(),
    useCases: z.string().nullable(),
    limitations: z.string().nullable(),
    tradeOffs: z.string().nullable(),
    ethics: z.string().nullable(),
    tags: z.array(z.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    latestVersion: z.number().int().nullable(),
    latestVersionId: z.string().nullable(),
    latestVersionName: z.string().nullable(),
    productionVersion: VersionRefSchema.nullable().openapi({ description: 'The version holding production' }),
    stagingVersion: VersionRefSchema.nullable().openapi({ description: 'The version holding staging' }),
  })
  .openapi('Model');

export const ModelPage = pageOf(ModelSchema, 'ModelPage');

export const CreateModelBody = z.strictObject({ name: z.string().openapi({ example: 'iris_classifier' }), ...card, tags: z.array(z.string()).optional() }).openapi('CreateModel');

export const UpdateModelBody = z
  .strictObject({ name: z.string().optional(), ...card, addTags: z.array(z.string()).optional(), removeTags: z.array(z.string()).optional() })
  .openapi('UpdateModel');

export const ListModelsQuery = PageQuery.extend({
  name: z.string().optional().openapi({ description: 'Name contains (case-insensitive)' }),
  tag: z.string().optional(),
  filter: z.string().optional().openapi({ description: 'Filter expression, e.g. `name~iris and tag=prod`' }),
  sortBy: z.string().optional().openapi({ description: '`field` or `-field`' }),
});

export const ModelParam = z.object({ model: segment('model', 'Model name or id') });
