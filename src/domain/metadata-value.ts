import { ValidationError } from './errors.js';

const utf8 = new TextEncoder();

/** Largest serialized size of one metadata value (UTF-8 bytes of its JSON). */
export const MAX_METADATA_VALUE_BYTES = 1024 * 1024;

/** Longest metadata key. */
export const MAX_METADATA_KEY_LENGTH = 255;

/** The type recorded with each metadata value, so readers know what they get without guessing. */
export type MetadataType = 'string' | 'int' | 'float' | 'boolean' | 'null' | 'list' | 'dict' | 'datetime';

/** A value as stored: its JSON text and its type. */
export interface EncodedMetadataValue {
  json: string;
  type: MetadataType;
}

/** One metadata value as read back: the newest value logged under a key. */
export interface MetadataEntry<T = unknown> {
  value: T;
  type: MetadataType;
  createdAt: Date;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object without prototype';
  return typeof value;
}

function check(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new ValidationError(`Metadata "${path}" is ${value}, which JSON cannot represent; log a finite number or null.`);
      }
      return;
    case 'object': {
      if (value === null) return;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new ValidationError(`Metadata "${path}" is an invalid Date.`);
        return;
      }
      if (seen.has(value)) {
        throw new ValidationError(`Metadata "${path}" refers back to itself (a cyclic object); log a tree of plain values instead.`);
      }
      seen.add(value);
      if (Array.isArray(value)) {
        value.forEach((item, i) => check(item, `${path}[${i}]`, seen));
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw new ValidationError(
            `Metadata "${path}" is a ${describe(value)}, which is not JSON-serializable; convert it to plain objects, arrays, strings, numbers, booleans or null (e.g. Object.fromEntries(map) or [...set]).`,
          );
        }
        for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`, seen);
      }
      seen.delete(value);
      return;
    }
    default:
      throw new ValidationError(`Metadata "${path}" is a ${typeof value}, which is not JSON-serializable; log plain objects, arrays, strings, numbers, booleans or null.`);
  }
}

function typeOf(value: unknown): MetadataType {
  if (value === null) return 'null';
  if (value instanceof Date) return 'datetime';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    default:
      return 'dict';
  }
}

/** Validates a metadata key: a non-empty string of at most 255 characters. */
export function validateMetadataKey(key: string): string {
  if (key.length === 0) throw new ValidationError('A metadata key must not be empty.');
  if (key.length > MAX_METADATA_KEY_LENGTH) {
    throw new ValidationError(`The metadata key "${key.slice(0, 40)}…" is ${key.length} characters long; the limit is ${MAX_METADATA_KEY_LENGTH}.`);
  }
  return key;
}

/**
 * Checks that `value` is JSON-serializable (plain data, no cycles, finite numbers) and at most 1 MB
 * once serialized, and returns its JSON and type. Throws `ValidationError` naming the offending path.
 */
export function encodeMetadataValue(key: string, value: unknown): EncodedMetadataValue {
  validateMetadataKey(key);
  check(value, key, new Set());
  const json = JSON.stringify(value);
  // UTF-8 takes 1–3 bytes per UTF-16 unit, so most values are decided without encoding them.
  const bytes = json.length * 3 <= MAX_METADATA_VALUE_BYTES ? json.length : utf8.encode(json).length;
  if (bytes > MAX_METADATA_VALUE_BYTES) {
    throw new ValidationError(
      `Metadata "${key}" is ${(bytes / 1024 / 1024).toFixed(2)} MB once serialized; the limit is 1 MB per value. Store large values as an artifact (saveArtifact) and log a summary instead.`,
    );
  }
  return { json, type: typeOf(value) };
}

/** Validates and encodes a whole metadata record, all keys or none. */
export function encodeMetadata(metadata: unknown): Array<[string, EncodedMetadataValue]> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValidationError('Metadata must be an object of key → value, e.g. { accuracy: 0.97 }.');
  }
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length === 0) throw new ValidationError('Metadata must contain at least one key.');
  return entries.map(([k, v]) => [k, encodeMetadataValue(k, v)]);
}

/** Turns stored JSON and type back into the value (datetimes become `Date`s again). */
export function decodeMetadataValue(json: string, type: MetadataType): unknown {
  const value: unknown = JSON.parse(json);
  return type === 'datetime' && typeof value === 'string' ? new Date(value) : value;
}
