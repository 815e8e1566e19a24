import { ValidationError } from './errors.js';

/** Page size when none is asked for. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page size accepted anywhere (SDK, CLI, REST). */
export const MAX_PAGE_SIZE = 1000;

/** A validated page request: 1-based page, size within limits, and the row offset. */
export interface PageRequest {
  page: number;
  size: number;
  offset: number;
}

/** Validates `page` and `size`, filling defaults; bad values get a `ValidationError` with the limits. */
export function parsePageRequest(page?: unknown, size?: unknown): PageRequest {
  const p = page === undefined || page === null ? 1 : Number(page);
  const s = size === undefined || size === null ? DEFAULT_PAGE_SIZE : Number(size);
  if (!Number.isSafeInteger(p) || p < 1) throw new ValidationError(`Page ${String(page)} is invalid: pages are numbered from 1.`);
  if (!Number.isSafeInteger(s) || s < 1 || s > MAX_PAGE_SIZE) {
    throw new ValidationError(`Page size ${String(size)} is invalid: use a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return { page: p, size: s, offset: (p - 1) * s };
}
