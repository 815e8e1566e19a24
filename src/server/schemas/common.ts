import { z } from '@hono/zod-openapi';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../domain/pagination.js';

/** The one error shape of the API. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

const PAGE_MESSAGE = `Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}.`;

/**
 * A query parameter holding a whole number written in decimal digits only: `z.coerce.number()` would
 * also take `0x10`, `1e3`, ` 7` or an empty string (as 0).
 */
function wholeNumber(message: string, max: number) {
  return z
    .string()
    .regex(/^[0-9]{1,15}$/, message)
    .transform(Number)
    .pipe(z.number().int(message).min(1, message).max(max, message));
}

/** `page` and `size` of every listing. */
export const PageQuery = z.object({
  page: wholeNumber('Page must be a whole number from 1.', Number.MAX_SAFE_INTEGER)
    .optional()
    .openapi({ type: 'integer', minimum: 1, description: '1-based page number', example: 1 }),
  size: wholeNumber(PAGE_MESSAGE, MAX_PAGE_SIZE)
    .optional()
    .openapi({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`, example: DEFAULT_PAGE_SIZE }),
});

/** One page of `item`: `{ items, total, page, size }`. */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ items: z.array(item), total: z.number().int(), page: z.number().int(), size: z.number().int() })
    .openapi(name);
}

/** ISO-8601 timestamps as sent by the server. */
export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-01-02T03:04:05.000Z' });

/** Metadata as read: the newest value per key. */
export const RunMetadataSchema = z
  .record(z.string(), z.object({ value: z.unknown(), type: z.string(), createdAt: Timestamp }))
  .openapi('RunMetadata');

/** Metadata as written: plain JSON values, plus the keys whose value is an ISO datetime. */
export const MetadataInput = z.record(z.string(), z.unknown()).openapi({ description: 'key → JSON value (1 MB per value)', example: { accuracy: 0.97 } });
export const DatetimeKeys = z.array(z.string()).optional().openapi({ description: 'Keys of `metadata` whose string value is an ISO datetime' });

/** A name, id or selector in a path segment (a leading `~` is removed: it escapes `.`, `..`, `~…` and the empty string). */
export function segment(name: string, description: string) {
  return z.string().openapi({ param: { name, in: 'path' }, description: `${description} (a leading "~" is stripped; it escapes ".", ".." and names starting with "~")` });
}

/** The error responses a route documents. */
export function errors(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413>) {
  const text: Record<number, string> = {
    400: 'Invalid input (validation_error)',
    401: 'Missing, unknown or revoked API key (authentication_error)',
    403: "The key's role may not do this (authorization_error)",
    404: 'Not found (not_found)',
    409: 'Conflict (entity_exists, stage_conflict, conflict)',
    413: 'Request body too large (payload_too_large)',
  };
  return Object.fromEntries(
    [...new Set([400, 401, 403, ...statuses])].map((s) => [s, { description: text[s]!, content: { 'application/json': { schema: ErrorSchema } } }]),
  ) as Record<400 | 401 | 403 | 404 | 409 | 413, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }>;
}

/** A JSON response of `schema`. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A JSON request body of `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } };
}
