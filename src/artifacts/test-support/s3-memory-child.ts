// Child process for the S3 memory test (run with --expose-gc): streams `totalMiB` MiB into an
// S3ArtifactStore in 1 MiB chunks (one buffer, refilled after each write), samples live external
// memory (after a forced GC) while doing so, then reads the blob back to verify it. Prints one JSON line.
import { createHash } from 'node:crypto';
import { S3ArtifactStore, type S3ArtifactStoreOptions } from '../s3-artifact-store.js';

const args = JSON.parse(process.argv[2] ?? '{}') as { uri: string; options: S3ArtifactStoreOptions; totalMiB: number };
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with --expose-gc');

const live = () => {
  collect();
  return process.memoryUsage().arrayBuffers;
};

const store = await S3ArtifactStore.open(args.uri, args.options);
try {
  const baseline = live();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, live());
  }, 25);

  const started = performance.now();
  const expected = createHash('sha256');
  const chunk = new Uint8Array(1024 * 1024);
  const writer = await store.openWriter();
  for (let i = 0; i < args.totalMiB; i++) {
    chunk.fill(i % 251);
    chunk[i % chunk.length] = 255 - (i % 251);
    expected.update(chunk);
    await writer.write(chunk);
  }
  const info = await writer.commit();
  clearInterval(sampler);
  peak = Math.max(peak, live());
  const seconds = (performance.now() - started) / 1000;

  const readBack = createHash('sha256');
  for await (const piece of (await store.openReader(info.contentHash)).stream()) readBack.update(piece as Buffer);
  const hash = expected.digest('hex');
  const verified = info.contentHash === hash && readBack.digest('hex') === hash;
  process.stdout.write(`${JSON.stringify({ size: info.size, verified, peakExternalMiB: (peak - baseline) / 1024 / 1024, seconds })}\n`);
} finally {
  await store.close();
}
