// Child process for the crash test: writes 200 MB slowly into a blob writer until it is SIGKILLed.
import { LocalArtifactStore } from '../local-artifact-store.js';

const root = process.argv[2];
if (!root) throw new Error('usage: slow-writer-child <store root>');
const store = await LocalArtifactStore.open(root);
const writer = await store.openWriter();
const chunk = new Uint8Array(1024 * 1024).fill(7);
for (let i = 0; i < 200; i++) {
  await writer.write(chunk);
  // The parent kills us once it sees this; until then the temp file keeps growing.
  if (i === 4) process.stdout.write('writing\n');
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await writer.commit();
process.stdout.write('committed\n');
