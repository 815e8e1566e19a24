import { z } from '@hono/zod-openapi';

export const GcResultSchema = z.object({ deleted: z.number().int(), bytesFreed: z.number().int() }).openapi('GcResult');
export const IntegritySchema = z.object({ problems: z.array(z.string()) }).openapi('IntegrityReport');
