import { z } from '@hono/zod-openapi';
import { PageQuery, Timestamp, pageOf } from './common.js';

export const StageTransitionSchema = z
  .object({
    id: z.number().int(),
    modelId: z.string(),
    modelVersionId: z.string(),
    versionNumber: z.number().int(),
    versionName: z.string(),
    fromStage: z.string(),
    toStage: z.string(),
    displacedVersionId: z.string().nullable(),
    displacedVersionNumber: z.number().int().nullable(),
    actor: z.string(),
    reason: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('StageTransition');

const Holder = z.object({ modelVersionId: z.string(), versionNumber: z.number().int(), versionName: z.string(), since: Timestamp });

export const StageHoldingSchema = z
  .object({ stage: z.string(), at: Timestamp, holder: Holder.nullable(), holders: z.array(Holder) })
  .openapi('StageHolding');

export const StageTransitionPage = pageOf(StageTransitionSchema, 'StageTransitionPage');

export const StageHistoryQuery = PageQuery.extend({
  stage: z.string().optional().openapi({ description: 'Only transitions into or out of this stage' }),
  at: z.string().optional().openapi({ description: 'With `stage`: answer who held the stage at this ISO time (a StageHolding instead of a page)' }),
});
