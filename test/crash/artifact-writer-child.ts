/**
 * Child process of artifact-crash.test.ts, run with `tsx artifact-writer-child.ts '<json config>'`.
 *
 * Saves a 200 MB artifact named `big` through the SDK (`client.saveArtifact`), using a materializer
 * that writes the value in 1 MB chunks and yields between chunks, so that the parent can SIGKILL it
 * in the middle of the write. After the first chunks it prints `{"type":"writing","pid":…}` (the pid
 * of this node process, which names its temp file); if it is not killed it prints
 * `{"type":"saved"}` (the parent treats that as a failed experiment).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, registerMaterializer } from '../../src/index.js';

export interface CrashChildConfig {
  /** The same options `new Client(...)` takes. */
  store: { home: string } | { database: string; artifacts: string };
  /** Size of the artifact in MiB. */
  megabytes: number;
  /** Pause between chunks, so that the whole write takes long enough to be interrupted. */
  pauseMs: number;
}

/** A value whose bytes are `megabytes` MiB of 7s, written chunk by chunk. */
class SlowBlob {
  constructor(readonly megabytes: number) {}
}

const CHUNK = new Uint8Array(1024 * 1024).fill(7);
const ANNOUNCE_AFTER_CHUNKS = 4;

function emit(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const raw = process.argv[2];
if (!raw) throw new Error("usage: tsx artifact-writer-child.ts '<json CrashChildConfig>'");
const config = JSON.parse(raw) as CrashChildConfig;

registerMaterializer<SlowBlob>({
  name: 'test.SlowBlob',
  canHandle: (value) => value instanceof SlowBlob,
  async save(value, writer) {
    for (let i = 1; i <= value.megabytes; i++) {
      await writer.write(CHUNK);
      if (i === ANNOUNCE_AFTER_CHUNKS) emit({ type: 'writing', pid: process.pid, chunks: i });
      await new Promise((resolve) => setImmediate(resolve));
      if (config.pauseMs > 0) await sleep(config.pauseMs);
    }
  },
  async load(reader) {
    return new SlowBlob(reader.size / CHUNK.byteLength);
  },
});

const client = new Client(config.store);
try {
  const av = await client.saveArtifact('big', new SlowBlob(config.megabytes));
  emit({ type: 'saved', version: av.version, size: av.size });
} finally {
  await client.close();
}
