/**
 * The closed set of errors modelplane raises. Each class has a stable `code` that survives
 * serialization (CLI exit lines, HTTP `{ error: { code, message } }`), so callers can branch on
 * `err.code` or `instanceof` alike.
 */

/** Stable machine-readable codes, one per error class. */
export type ErrorCode =
  | 'internal'
  | 'not_found'
  | 'entity_exists'
  | 'validation_error'
  | 'stage_conflict'
  | 'authentication_error'
  | 'authorization_error'
  | 'conflict';

/** Base class of every error modelplane throws on purpose; `code` is stable across releases. */
export class ModelplaneError extends Error {
  /** Machine-readable code, e.g. `not_found`. */
  readonly code: ErrorCode;
  /** Optional structured context (the conflicting holder, the offending field …). */
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, code: ErrorCode = 'internal', details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** A model, version, artifact or run that was asked for does not exist. */
export class NotFoundError extends ModelplaneError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'not_found', details);
  }
}

/** Creating something whose unique name (or number) is already taken. */
export class EntityExistsError extends ModelplaneError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'entity_exists', details);
  }
}

/** Input that breaks a rule: bad name, unknown stage, metadata that is not JSON, … Nothing was written. */
export class ValidationError extends ModelplaneError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'validation_error', details);
  }
}

/** Another version holds the exclusive stage asked for and `force` was not given. */
export class StageConflictError extends ModelplaneError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'stage_conflict', details);
  }
}

/** No credentials, or credentials that are unknown or revoked. */
export class AuthenticationError extends ModelplaneError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'authentication_error', details);
  }
}

/** Valid credentials whose role may not do what was asked. */
export class AuthorizationError extends ModelplaneError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'authorization_error', details);
  }
}

/** A write lost a race that retrying cannot fix (e.g. a concurrent change of the same record). */
export class ConflictError extends ModelplaneError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, 'conflict', details);
  }
}

const byCode: Record<ErrorCode, new (message: string, details?: Record<string, unknown>) => ModelplaneError> = {
  internal: class InternalError extends ModelplaneError {
    constructor(message: string, details?: Record<string, unknown>) {
      super(message, 'internal', details);
    }
  },
  not_found: NotFoundError,
  entity_exists: EntityExistsError,
  validation_error: ValidationError,
  stage_conflict: StageConflictError,
  authentication_error: AuthenticationError,
  authorization_error: AuthorizationError,
  conflict: ConflictError,
};

/**
 * Rebuilds the right error class from a serialized `{ code, message, details }` (HTTP client, worker).
 * @example throw errorFromCode('not_found', 'Model "x" not found')
 */
export function errorFromCode(code: string, message: string, details?: Record<string, unknown>): ModelplaneError {
  const Cls = byCode[code as ErrorCode];
  return Cls ? new Cls(message, details) : new ModelplaneError(message, 'internal', details);
}
