import { NotFoundError, ValidationError } from '../domain/errors.js';
import { bytesMaterializer } from './bytes-materializer.js';
import { dateMaterializer } from './date-materializer.js';
import { findJsonProblem, jsonMaterializer } from './json-materializer.js';
import type { Materializer } from './materializer.js';
import { tableMaterializer } from './table-materializer.js';
import { typedArrayMaterializer } from './typed-array-materializer.js';

// Order matters: the first whose canHandle says yes wins, and JSON would also accept arrays of records.
const builtIns: readonly Materializer[] = [
  bytesMaterializer as Materializer,
  typedArrayMaterializer as Materializer,
  dateMaterializer,
  tableMaterializer as Materializer,
  jsonMaterializer,
];

// Most recently registered first, so a user can override an earlier registration for a subtype.
let userMaterializers: Materializer[] = [];

const HOW_TO_REGISTER =
  'Register one with registerMaterializer(classMaterializer(MyClass)) for a class with toJSON() and a static load(json), ' +
  'or registerMaterializer({ name, canHandle, save, load })';

/** Human name of a value's type: its constructor name for objects, `typeof` otherwise. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name === 'string' && name !== '') return name;
  return Object.getPrototypeOf(value) === null ? 'Object (null prototype)' : 'object with an anonymous class';
}

function isArrayOrPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/**
 * Adds a custom materializer, tried before the built-ins (most recent first); registering a name again
 * replaces the earlier one, and reusing a built-in's name is a `ValidationError`.
 */
export function registerMaterializer<T>(materializer: Materializer<T>): void {
  const m = materializer as Materializer;
  if (typeof m !== 'object' || m === null || typeof m.name !== 'string' || m.name.trim() === '') {
    throw new ValidationError('A materializer needs a non-empty string name: registerMaterializer({ name, canHandle, save, load })');
  }
  for (const method of ['canHandle', 'save', 'load'] as const) {
    if (typeof m[method] !== 'function') {
      throw new ValidationError(`Materializer "${m.name}" has no ${method} function: registerMaterializer({ name, canHandle, save, load })`);
    }
  }
  if (builtIns.some((b) => b.name === m.name)) {
    throw new ValidationError(`"${m.name}" is the name of a built-in materializer; choose another name`, { name: m.name });
  }
  userMaterializers = [m, ...userMaterializers.filter((u) => u.name !== m.name)];
}

/** Removes a custom materializer by name (mainly for tests); returns whether one was registered. */
export function unregisterMaterializer(name: string): boolean {
  const before = userMaterializers.length;
  userMaterializers = userMaterializers.filter((u) => u.name !== name);
  return userMaterializers.length !== before;
}

/** The materializer that stores `value`: custom ones first, then built-ins; `ValidationError` naming the type when none can. */
export function findMaterializer(value: unknown): Materializer {
  for (const m of userMaterializers) if (m.canHandle(value)) return m;
  for (const m of builtIns) if (m.canHandle(value)) return m;
  const type = typeName(value);
  // For objects and arrays the JSON check knows exactly which part is unstorable; say so.
  const jsonProblem = isArrayOrPlainObject(value) ? findJsonProblem(value) : undefined;
  throw new ValidationError(
    `No materializer can store a value of type ${type}${jsonProblem ? ` (not plain JSON: ${jsonProblem})` : ''}. ${HOW_TO_REGISTER}.`,
    { type, ...(jsonProblem ? { jsonProblem } : {}) },
  );
}

/** The materializer registered under `name`; `NotFoundError` when it is not (yet) registered. */
export function getMaterializer(name: string): Materializer {
  const found = userMaterializers.find((m) => m.name === name) ?? builtIns.find((m) => m.name === name);
  if (found) return found;
  const hint = name.startsWith('class:')
    ? `registerMaterializer(classMaterializer(${name.slice('class:'.length)}))`
    : `registerMaterializer({ name: ${JSON.stringify(name)}, canHandle, save, load })`;
  throw new NotFoundError(
    `Materializer "${name}" is not registered; it must be registered (e.g. ${hint}) before loading artifacts saved with it`,
    { materializer: name },
  );
}
