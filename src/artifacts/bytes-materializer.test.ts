import { describe, expect, it } from 'vitest';
import { bytesMaterializer } from './bytes-materializer.js';
import { roundTrip } from './test-support/temp-store.js';

describe('bytesMaterializer', () => {
  it('gives back a Buffer for a Buffer', async () => {
    const { loaded, written } = await roundTrip(Buffer.from('buffer bytes'));
    expect(written).toMatchObject({ materializer: 'bytes', dataType: 'Buffer' });
    expect(Buffer.isBuffer(loaded)).toBe(true);
    expect((loaded as Buffer).toString()).toBe('buffer bytes');
  });

  it('gives back a plain Uint8Array for a Uint8Array, only the viewed bytes', async () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    const { loaded, written } = await roundTrip(backing.subarray(1, 4));
    expect(written).toMatchObject({ materializer: 'bytes', dataType: 'Uint8Array' });
    expect(Object.getPrototypeOf(loaded)).toBe(Uint8Array.prototype);
    expect(Array.from(loaded as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('does not take other typed arrays', () => {
    expect(bytesMaterializer.canHandle(new Int8Array(1))).toBe(false);
    expect(bytesMaterializer.canHandle(new Uint8ClampedArray(1))).toBe(false);
  });
});
