import { z } from '@hono/zod-openapi';
import { RunMetadataSchema, Timestamp, pageOf, segment } from './common.js';

export const StepRunSchema = z
  .object({
    id: z.string(),
    pipelineRunId: z.string(),
    name: z.string(),
    status: z.string(),
    cacheHit: z.boolean(),
    cacheKey: z.string().nullable(),
    modelVersionId: z.string().nullable(),
    startedAt: Timestamp,
    endedAt: Timestamp.nullable(),
    error: z.string().nullable(),
    logs: z.string(),
    inputs: z.record(z.string(), z.string()),
    outputs: z.record(z.string(), z.string()),
    runMetadata: RunMetadataSchema,
  })
  .openapi('StepRun');

export const StepRunPage = pageOf(StepRunSchema, 'StepRunPage');

export const CreateStepRunBody = z
  .strictObject({
    id: z.string().optional(),
    pipelineRunId: z.string(),
    name: z.string(),
    status: z.string().optional(),
    cacheKey: z.string().nullable().optional(),
    modelVersionId: z.string().nullable().optional(),
    inputs: z.record(z.string(), z.string()).optional(),
  })
  .openapi('CreateStepRun');

export const FinishStepRunBody = z
  .strictObject({
    status: z.string(),
    cacheHit: z.boolean().optional(),
    outputs: z.record(z.string(), z.string()).optional(),
    error: z.string().nullable().optional(),
    logs: z.string().optional(),
  })
  .openapi('FinishStepRun');

export const StepRunIdParam = z.object({ id: segment('id', 'Step run id') });
export const StepNameParams = z.object({ id: segment('id', 'Pipeline run id'), name: segment('name', 'Step name') });
export const CacheQuery = z.object({ cacheKey: z.string() });
export const CachedStepRun = z.object({ stepRun: StepRunSchema.nullable() }).openapi('CachedStepRun');
