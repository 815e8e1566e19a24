import type { Materializer } from './materializer.js';

/** Stores a `Buffer` or a plain `Uint8Array` as its raw bytes and loads back the same class. */
export const bytesMaterializer: Materializer<Uint8Array> = {
  name: 'bytes',
  canHandle(value: unknown): boolean {
    // Subclasses other than Buffer are excluded: loading could not rebuild them.
    return value instanceof Uint8Array && (Buffer.isBuffer(value) || Object.getPrototypeOf(value) === Uint8Array.prototype);
  },
  async save(value: Uint8Array, writer): Promise<void> {
    writer.setDataType(Buffer.isBuffer(value) ? 'Buffer' : 'Uint8Array');
    await writer.write(value);
  },
  async load(reader): Promise<Uint8Array> {
    const bytes = await reader.bytes();
    if (reader.dataType !== 'Buffer') return bytes;
    // A Buffer view over the same memory, not a copy.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  },
};
