import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import type { LocalArtifactStore } from './local-artifact-store.js';
import { registerMaterializer, unregisterMaterializer } from './materializer-registry.js';
import { makeTempStore } from './test-support/temp-store.js';
import { readValue, writeValue } from './value-codec.js';

describe('writeValue / readValue', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, store, cleanup } = await makeTempStore());
  });
  afterEach(async () => cleanup());

  it('stores with the chosen materializer and reads back', async () => {
    const written = await writeValue({ hello: 'world' }, await store.openWriter());
    expect(written.materializer).toBe('json');
    expect(written.blob.size).toBe(JSON.stringify({ hello: 'world' }).length);
    const reader = await store.openReader(written.blob.contentHash);
    expect(await readValue(reader, written.materializer, written.dataType)).toEqual({ hello: 'world' });
  });

  it('honours an explicit materializer and refuses one that cannot handle the value', async () => {
    const written = await writeValue([{ a: 1 }], await store.openWriter(), { materializer: 'json' });
    expect(written).toMatchObject({ materializer: 'json', dataType: 'json' });
    await expect(writeValue(new Date(), await store.openWriter(), { materializer: 'json' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('aborts the blob when the materializer fails midway', async () => {
    registerMaterializer({
      name: 'test.failing',
      canHandle: (v) => v === 'fail please',
      save: async (_v, w) => {
        await w.write('partial bytes');
        throw new Error('boom');
      },
      load: async () => undefined,
    });
    try {
      await expect(writeValue('fail please', await store.openWriter())).rejects.toThrow('boom');
      expect(await fs.readdir(path.join(dir, '.tmp'))).toEqual([]);
      expect(await fs.readdir(path.join(dir, 'sha256'))).toEqual([]);
    } finally {
      unregisterMaterializer('test.failing');
    }
  });

  it('aborts when no materializer handles the value', async () => {
    await expect(writeValue(Symbol('x'), await store.openWriter())).rejects.toBeInstanceOf(ValidationError);
    expect(await fs.readdir(path.join(dir, '.tmp'))).toEqual([]);
  });
});
