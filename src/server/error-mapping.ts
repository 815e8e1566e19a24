/**
 * The one place where errors become HTTP answers. Every error response has the shape
 * `{ error: { code, message, details? } }`; no stack trace ever leaves the server.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { ModelplaneError, ValidationError, type ErrorCode } from '../domain/errors.js';

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode | 'not_found' | 'payload_too_large'; message: string; details?: Record<string, unknown> };
}

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  validation_error: 400,
  authentication_error: 401,
  authorization_error: 403,
  not_found: 404,
  entity_exists: 409,
  stage_conflict: 409,
  conflict: 409,
  internal: 500,
};

/** HTTP status of a modelplane error code. */
export function statusOfCode(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code] ?? 500;
}

const GENERIC_MESSAGE = 'Internal server error. The server log has the details.';

/**
 * Maps anything thrown while handling a request to a status and the error shape. `log` receives
 * unexpected errors (with their stack) for the server's own log; the client never sees them.
 */
export function toErrorResponse(err: unknown, log?: (line: string) => void): { status: ContentfulStatusCode; body: ErrorBody } {
  if (err instanceof ModelplaneError) {
    if (err.code === 'internal') {
      log?.(`internal error: ${err.stack ?? err.message}`);
      return { status: 500, body: { error: { code: 'internal', message: GENERIC_MESSAGE } } };
    }
    return {
      status: statusOfCode(err.code),
      body: { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: jsonSafe(err.details) }) } },
    };
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 413) return { status, body: { error: { code: 'payload_too_large', message: err.message || 'The request body is too large.' } } };
    if (status === 415) {
      return { status, body: { error: { code: 'validation_error', message: 'Send the request body as JSON, with the header Content-Type: application/json.' } } };
    }
    if (status >= 400 && status < 500) {
      const message = /malformed json/i.test(err.message)
        ? 'The request body is not valid JSON.'
        : err.message || 'Bad request.';
      return { status: status === 401 ? 401 : 400, body: { error: { code: status === 401 ? 'authentication_error' : 'validation_error', message } } };
    }
  }
  if (err instanceof SyntaxError) {
    return { status: 400, body: { error: { code: 'validation_error', message: 'The request body is not valid JSON.' } } };
  }
  log?.(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { status: 500, body: { error: { code: 'internal', message: GENERIC_MESSAGE } } };
}

/** The answer for a route that does not exist. */
export function notFoundBody(method: string, path: string): ErrorBody {
  return { error: { code: 'not_found', message: `No route ${method} ${path.slice(0, 200)}. The API is described at /api/v1/openapi.json.` } };
}

/** Turns zod issues of a request part into one `ValidationError` with a readable message. */
export function validationErrorFromZod(target: string, error: z.ZodError): ValidationError {
  const issues = error.issues.slice(0, 10).map((issue) => {
    const where = issue.path.length === 0 ? target : `"${issue.path.map(String).join('.')}"`;
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      return `${where} must be a ${issue.expected}${received ? `, got ${received}` : ''}`;
    }
    if (issue.code === 'unrecognized_keys') return `${where} has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    return `${where}: ${issue.message.replace(/\.$/, '')}`;
  });
  const more = error.issues.length > 10 ? ` (and ${error.issues.length - 10} more problems)` : '';
  return new ValidationError(`Invalid request ${target}: ${issues.join('; ')}${more}.`, {
    issues: error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })),
  });
}

function jsonSafe(details: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
