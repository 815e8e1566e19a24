import { z } from '@hono/zod-openapi';

export const HealthSchema = z.object({ status: z.literal('ok'), version: z.string(), auth: z.boolean() }).openapi('Health');
