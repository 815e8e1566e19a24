import type { Readable } from 'node:stream';

/** Where a materializer writes the bytes of a value. */
export interface ArtifactWriter {
  /** Appends bytes; await it to respect backpressure. */
  write(chunk: Uint8Array | string): Promise<void>;
  /**
   * Records the concrete type of the value (e.g. `Float32Array`, `records`, a class name) so that
   * loading gives back the same type. Defaults to the materializer's name.
   */
  setDataType(dataType: string): void;
}

/** Where a materializer reads the bytes of a stored value from. */
export interface ArtifactReader {
  /** The data type recorded at save time. */
  readonly dataType: string;
  /** Number of bytes. */
  readonly size: number;
  /** All bytes in one buffer of exactly `size` bytes. */
  bytes(): Promise<Uint8Array>;
  /** All bytes decoded as UTF-8. */
  text(): Promise<string>;
  /** The bytes as a stream. */
  stream(): Readable;
}

/**
 * Turns values of some type into bytes and back. The name is stored with every artifact version
 * and picks the materializer again at load time, so keep it stable.
 * @example
 * registerMaterializer({
 *   name: 'my.Matrix',
 *   canHandle: (v) => v instanceof Matrix,
 *   save: async (m, w) => w.write(JSON.stringify(m.to2DArray())),
 *   load: async (r) => new Matrix(JSON.parse(await r.text())),
 * })
 */
export interface Materializer<T = unknown> {
  /** Stable unique name, stored with each artifact version. */
  readonly name: string;
  /** True when this materializer can store `value`. */
  canHandle(value: unknown): boolean;
  /** Writes `value`'s bytes. */
  save(value: T, writer: ArtifactWriter): Promise<void>;
  /** Rebuilds the value from its bytes. */
  load(reader: ArtifactReader): Promise<T>;
}
