import { z } from '@hono/zod-openapi';
import { PageQuery, Timestamp, pageOf, segment } from './common.js';

export const ApiKeySchema = z
  .object({ id: z.string(), name: z.string(), role: z.enum(['viewer', 'editor', 'admin']), createdAt: Timestamp, lastUsedAt: Timestamp.nullable(), revokedAt: Timestamp.nullable() })
  .openapi('ApiKey');

export const ApiKeyPage = pageOf(ApiKeySchema, 'ApiKeyPage');

export const CreatedApiKeySchema = z
  .object({ key: z.string().openapi({ description: 'The raw key: shown once, stored nowhere' }), record: ApiKeySchema })
  .openapi('CreatedApiKey');

export const CreateApiKeyBody = z.strictObject({ name: z.string(), role: z.string().openapi({ description: 'viewer, editor or admin' }) }).openapi('CreateApiKey');

export const ListApiKeysQuery = PageQuery.extend({ includeRevoked: z.enum(['true', 'false']).optional() });

export const ApiKeyIdParam = z.object({ id: segment('id', 'API key id') });

export const WhoAmISchema = z.object({ authenticated: z.boolean(), id: z.string().nullable(), name: z.string().nullable(), role: z.string().nullable() }).openapi('WhoAmI');
