import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalArtifactStore } from '../local-artifact-store.js';
import { readValue, writeValue, type WrittenValue } from '../value-codec.js';

/** A real store in a fresh temp folder, and a `cleanup` that removes the folder. */
export async function makeTempStore(): Promise<{ dir: string; store: LocalArtifactStore; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelplane-artifacts-'));
  const store = await LocalArtifactStore.open(dir);
  return { dir, store, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** Saves `value` through the registry into a temp store and loads it back. */
export async function roundTrip(value: unknown, options: { materializer?: string } = {}): Promise<{ loaded: unknown; written: WrittenValue }> {
  const { store, cleanup } = await makeTempStore();
  try {
    const written = await writeValue(value, await store.openWriter(), options);
    const loaded = await readValue(await store.openReader(written.blob.contentHash), written.materializer, written.dataType);
    return { loaded, written };
  } finally {
    await cleanup();
  }
}
