import type { Readable } from 'node:stream';
import { ValidationError } from '../domain/errors.js';
import type { BlobInfo, BlobReader, BlobWriter } from './artifact-store.js';
import type { ArtifactReader, ArtifactWriter } from './materializer.js';
import { findMaterializer, getMaterializer } from './materializer-registry.js';

/** What {@link writeValue} stored: the blob and what is needed to load it back as the same type. */
export interface WrittenValue {
  blob: BlobInfo;
  materializer: string;
  dataType: string;
}

/**
 * Materializes `value` into `blobWriter` and commits it (with the named materializer, or the first
 * one that can handle the value); on any error the writer is aborted and the error rethrown.
 */
export async function writeValue(value: unknown, blobWriter: BlobWriter, options: { materializer?: string } = {}): Promise<WrittenValue> {
  try {
    const materializer = options.materializer !== undefined ? getMaterializer(options.materializer) : findMaterializer(value);
    if (options.materializer !== undefined && !materializer.canHandle(value)) {
      throw new ValidationError(`Materializer "${materializer.name}" cannot store this value`, { materializer: materializer.name });
    }
    let dataType = materializer.name;
    const writer: ArtifactWriter = {
      write: (chunk) => blobWriter.write(chunk),
      setDataType: (type) => {
        dataType = type;
      },
    };
    await materializer.save(value, writer);
    const blob = await blobWriter.commit();
    return { blob, materializer: materializer.name, dataType };
  } catch (err) {
    await blobWriter.abort().catch(() => undefined);
    throw err;
  }
}

/** Loads a stored value with the materializer it was saved with (`NotFoundError` if that is not registered). */
export async function readValue(blobReader: BlobReader, materializerName: string, dataType: string): Promise<unknown> {
  const materializer = getMaterializer(materializerName);
  const reader: ArtifactReader = {
    dataType,
    size: blobReader.size,
    bytes: () => blobReader.bytes(),
    text: async () => new TextDecoder().decode(await blobReader.bytes()),
    stream: (): Readable => blobReader.stream(),
  };
  return materializer.load(reader);
}
