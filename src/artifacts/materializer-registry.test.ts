import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Materializer } from './materializer.js';
import { findMaterializer, getMaterializer, registerMaterializer, unregisterMaterializer } from './materializer-registry.js';

class Opaque {
  secret = 1;
}

function custom(name: string, canHandle: (v: unknown) => boolean): Materializer {
  return { name, canHandle, save: async () => undefined, load: async () => undefined };
}

describe('materializer registry', () => {
  it('picks built-ins in order: bytes, typed-array, date, table, json', () => {
    expect(findMaterializer(Buffer.alloc(1)).name).toBe('bytes');
    expect(findMaterializer(new Float32Array(1)).name).toBe('typed-array');
    expect(findMaterializer(new Date()).name).toBe('date');
    expect(findMaterializer([{ a: 1 }]).name).toBe('table');
    expect(findMaterializer([1, 2]).name).toBe('json');
    expect(findMaterializer({ a: 1 }).name).toBe('json');
  });

  it('names the type and how to register a materializer for an unhandled class instance', () => {
    let error: unknown;
    try {
      findMaterializer(new Opaque());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message).toContain('Opaque');
    expect(message).toContain('registerMaterializer(classMaterializer(MyClass))');
    expect(message).toContain('registerMaterializer({ name, canHandle, save, load })');
  });

  it('rejects a cyclic object, saying where the cycle is', () => {
    const cyclic: Record<string, unknown> = { nested: { list: [] as unknown[] } };
    ((cyclic['nested'] as { list: unknown[] }).list).push(cyclic);
    expect(() => findMaterializer(cyclic)).toThrow(ValidationError);
    expect(() => findMaterializer(cyclic)).toThrow(/\$\.nested\.list\[0\].*cycle/);
    expect(() => findMaterializer(undefined)).toThrow(/type undefined/);
    expect(() => findMaterializer(1n)).toThrow(/type bigint/);
  });

  it('tries user materializers first, most recent first, and replaces by name', () => {
    registerMaterializer(custom('test.first', (v) => v instanceof Opaque));
    registerMaterializer(custom('test.second', (v) => v instanceof Opaque));
    try {
      expect(findMaterializer(new Opaque()).name).toBe('test.second');
      registerMaterializer(custom('test.first', (v) => v instanceof Opaque));
      expect(findMaterializer(new Opaque()).name).toBe('test.first');
      // User materializers win over built-ins too.
      registerMaterializer(custom('test.dates', (v) => v instanceof Date));
      expect(findMaterializer(new Date()).name).toBe('test.dates');
      expect(getMaterializer('test.second').name).toBe('test.second');
    } finally {
      for (const name of ['test.first', 'test.second', 'test.dates']) unregisterMaterializer(name);
    }
    expect(() => findMaterializer(new Opaque())).toThrow(ValidationError);
  });

  it('refuses a built-in name or a malformed materializer', () => {
    expect(() => registerMaterializer(custom('json', () => false))).toThrow(ValidationError);
    expect(() => registerMaterializer({ name: 'x' } as never)).toThrow(/canHandle/);
    expect(() => registerMaterializer({ name: '', canHandle: () => false } as never)).toThrow(ValidationError);
  });

  it('getMaterializer says a missing one must be registered before loading', () => {
    expect(getMaterializer('json').name).toBe('json');
    expect(() => getMaterializer('class:Missing')).toThrow(NotFoundError);
    expect(() => getMaterializer('class:Missing')).toThrow(/"class:Missing".*registered.*before loading/);
  });
});
