import { ValidationError } from '../domain/errors.js';
import type { Materializer } from './materializer.js';

/** Every typed array except `Uint8Array`, which the bytes materializer owns. */
export type NonByteTypedArray =
  | Int8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

interface TypedArrayConstructor {
  readonly BYTES_PER_ELEMENT: number;
  readonly prototype: NonByteTypedArray;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): NonByteTypedArray;
}

const constructors = new Map<string, TypedArrayConstructor>(
  (
    [
      Int8Array,
      Uint8ClampedArray,
      Int16Array,
      Uint16Array,
      Int32Array,
      Uint32Array,
      Float32Array,
      Float64Array,
      BigInt64Array,
      BigUint64Array,
    ] as unknown as TypedArrayConstructor[]
  ).map((Ctor) => [(Ctor as unknown as { name: string }).name, Ctor]),
);
// Float16Array only exists in newer runtimes; support it where it does.
const float16 = (globalThis as Record<string, unknown>)['Float16Array'];
if (typeof float16 === 'function') constructors.set('Float16Array', float16 as unknown as TypedArrayConstructor);

function constructorOf(value: unknown): TypedArrayConstructor | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  for (const Ctor of constructors.values()) if (Ctor.prototype === proto) return Ctor;
  return undefined;
}

/**
 * Stores a typed array (other than `Uint8Array`) as its raw platform-endian bytes, with the
 * constructor name as data type; loading rebuilds that typed array over the freshly read buffer.
 */
export const typedArrayMaterializer: Materializer<NonByteTypedArray> = {
  name: 'typed-array',
  canHandle(value: unknown): boolean {
    return constructorOf(value) !== undefined;
  },
  async save(value: NonByteTypedArray, writer): Promise<void> {
    const Ctor = constructorOf(value);
    if (!Ctor) throw new ValidationError('typed-array materializer got a value that is not a supported typed array');
    writer.setDataType((Ctor as unknown as { name: string }).name);
    // A byte view over the same memory: no copy of a possibly huge array.
    await writer.write(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  },
  async load(reader): Promise<NonByteTypedArray> {
    const Ctor = constructors.get(reader.dataType);
    if (!Ctor) throw new ValidationError(`Unknown typed array type ${JSON.stringify(reader.dataType)}`);
    let bytes = await reader.bytes();
    if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
      throw new ValidationError(`Stored ${reader.dataType} has ${bytes.byteLength} bytes, not a multiple of ${Ctor.BYTES_PER_ELEMENT}`);
    }
    // Stores hand out exactly-sized fresh buffers; anything else (offset, shared memory) is copied once.
    if (bytes.byteOffset % Ctor.BYTES_PER_ELEMENT !== 0 || !(bytes.buffer instanceof ArrayBuffer)) {
      bytes = bytes.slice();
    }
    return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  },
};
