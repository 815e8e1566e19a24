import { z } from '@hono/zod-openapi';
import { PageQuery, RunMetadataSchema, Timestamp, pageOf, segment } from './common.js';

export const PipelineRunSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    pipelineName: z.string(),
    status: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    modelVersionId: z.string().nullable(),
    startedAt: Timestamp,
    endedAt: Timestamp.nullable(),
    error: z.string().nullable(),
    runMetadata: RunMetadataSchema,
  })
  .openapi('PipelineRun');

export const PipelineRunPage = pageOf(PipelineRunSchema, 'PipelineRunPage');

/** A run as listed for one model version: how it relates to that version. */
export const LinkedRunSchema = PipelineRunSchema.extend({
  relations: z.array(z.enum(['producer', 'consumer'])).openapi({ description: 'producer: it produced into the version; consumer: it read from it' }),
}).openapi('LinkedPipelineRun');

/** One page of a model version's runs with their relations. */
export const LinkedRunPage = pageOf(LinkedRunSchema, 'LinkedPipelineRunPage');

export const CreatePipelineRunBody = z
  .strictObject({
    id: z.string().optional(),
    name: z.string().optional(),
    pipelineName: z.string(),
    status: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    modelVersionId: z.string().nullable().optional(),
  })
  .openapi('CreatePipelineRun');

export const UpdatePipelineRunBody = z
  .strictObject({ status: z.string(), error: z.string().nullable().optional(), ended: z.boolean().optional() })
  .openapi('UpdatePipelineRun');

export const ListPipelineRunsQuery = PageQuery.extend({
  pipeline: z.string().optional(),
  modelVersionId: z.string().optional(),
  status: z.string().optional(),
});

export const RunIdParam = z.object({ id: segment('id', 'Pipeline run id') });

export const LinkRunBody = z.strictObject({ relation: z.enum(['producer', 'consumer']) }).openapi('LinkRun');
