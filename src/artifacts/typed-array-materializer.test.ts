import { describe, expect, it } from 'vitest';
import { typedArrayMaterializer } from './typed-array-materializer.js';
import { roundTrip } from './test-support/temp-store.js';

describe('typedArrayMaterializer', () => {
  it('round-trips a Float32Array as a Float32Array', async () => {
    const value = new Float32Array([1.5, -2, Number.NaN, Infinity, 3.1415927]);
    const { loaded, written } = await roundTrip(value);
    expect(written).toMatchObject({ materializer: 'typed-array', dataType: 'Float32Array' });
    expect(written.blob.size).toBe(value.byteLength);
    expect(loaded).toBeInstanceOf(Float32Array);
    expect(loaded).toEqual(value);
  });

  it('round-trips every other typed array type, including views at an offset', async () => {
    const values = [
      new Int8Array([-1, 2]),
      new Uint8ClampedArray([0, 255]),
      new Int16Array([-300, 300]),
      new Uint16Array([65535]),
      new Int32Array([-1, 2 ** 31 - 1]),
      new Uint32Array([2 ** 32 - 1]),
      new Float64Array([Math.PI, -0]),
      new BigInt64Array([-(2n ** 63n), 5n]),
      new BigUint64Array([2n ** 64n - 1n]),
      new Float64Array([1, 2, 3, 4]).subarray(1, 3),
    ];
    for (const value of values) {
      const { loaded, written } = await roundTrip(value);
      expect(written.dataType).toBe(value.constructor.name);
      expect(Object.getPrototypeOf(loaded)).toBe(Object.getPrototypeOf(value));
      expect(loaded).toEqual(value);
    }
  });

  it('does not take Uint8Array, Buffer or DataView', () => {
    expect(typedArrayMaterializer.canHandle(new Uint8Array(1))).toBe(false);
    expect(typedArrayMaterializer.canHandle(Buffer.alloc(1))).toBe(false);
    expect(typedArrayMaterializer.canHandle(new DataView(new ArrayBuffer(1)))).toBe(false);
  });
});
