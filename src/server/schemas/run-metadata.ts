import { z } from '@hono/zod-openapi';
import { DatetimeKeys, MetadataInput } from './common.js';

export const LogMetadataBody = z
  .strictObject({
    targetType: z.string().openapi({ description: 'model_version, artifact_version, step_run or pipeline_run' }),
    targetId: z.string(),
    metadata: MetadataInput,
    datetimes: DatetimeKeys,
  })
  .openapi('LogMetadata');
