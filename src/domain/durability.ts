import { ValidationError } from './errors.js';

/**
 * How hard an embedded store works to keep acknowledged writes:
 * - `process`: every acknowledged write survives any crash of the process (kill -9, OOM, exceptions);
 *   an OS crash or power loss may roll back the newest writes, never corrupt the store.
 * - `full`: also survives power loss, at the cost of an fsync per write (milliseconds on most disks).
 * PostgreSQL servers follow their own settings.
 */
export type Durability = 'process' | 'full';

/** Default durability of embedded stores. */
export const DEFAULT_DURABILITY: Durability = 'process';

/** Validates a durability setting (from an option or `MODELPLANE_DURABILITY`). */
export function parseDurability(value: unknown): Durability {
  if (value === undefined || value === null || value === '') return DEFAULT_DURABILITY;
  if (value === 'process' || value === 'full') return value;
  throw new ValidationError(`Unknown durability ${JSON.stringify(value)}: use "process" (survives process crashes) or "full" (also survives power loss).`);
}
