import { ValidationError } from '../domain/errors.js';
import type { Materializer } from './materializer.js';

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object with a custom prototype';
  }
  if (typeof value === 'number') return String(value);
  return `a ${typeof value}`;
}

/**
 * Returns why `value` is not a plain JSON value (with the path of the first offending part), or
 * `undefined` when it is one and `JSON.parse(JSON.stringify(value))` gives back an equal value.
 */
export function findJsonProblem(value: unknown): string | undefined {
  const ancestors = new Set<object>();
  const visit = (v: unknown, at: string): string | undefined => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : `${at} is ${String(v)}, which JSON cannot represent`;
      case 'object':
        break;
      default:
        return `${at} is ${describe(v)}, which JSON cannot represent`;
    }
    if (v === null) return undefined;
    if (ancestors.has(v)) return `${at} refers back to one of its ancestors (a cycle)`;
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return `${at} is ${describe(v)}, not a plain array`;
      ancestors.add(v);
      for (let i = 0; i < v.length; i++) {
        // Holes would come back as null, so they are not round-trip safe either.
        if (!(i in v)) return `${at}[${i}] is a hole in a sparse array`;
        const problem = visit(v[i], `${at}[${i}]`);
        if (problem !== undefined) return problem;
      }
      ancestors.delete(v);
      return undefined;
    }
    if (!isPlainObject(v)) return `${at} is ${describe(v)}, not a plain object`;
    if (Object.getOwnPropertySymbols(v).length > 0) return `${at} has symbol keys, which JSON drops`;
    ancestors.add(v);
    for (const key of Object.keys(v)) {
      const problem = visit((v as Record<string, unknown>)[key], `${at}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`);
      if (problem !== undefined) return problem;
    }
    ancestors.delete(v);
    return undefined;
  };
  return visit(value, '$');
}

/** Stores plain JSON values (objects, arrays, strings, finite numbers, booleans, null) as UTF-8 JSON. */
export const jsonMaterializer: Materializer<unknown> = {
  name: 'json',
  canHandle(value: unknown): boolean {
    return findJsonProblem(value) === undefined;
  },
  async save(value: unknown, writer): Promise<void> {
    const problem = findJsonProblem(value);
    if (problem !== undefined) throw new ValidationError(`Value is not plain JSON: ${problem}`);
    writer.setDataType('json');
    await writer.write(JSON.stringify(value));
  },
  async load(reader): Promise<unknown> {
    return JSON.parse(await reader.text()) as unknown;
  },
};
