// Runs s3rver for test/support/s3.ts in a process of its own: `node --openssl-legacy-provider
// s3rver-child.mjs DIR BUCKET`. The flag is needed because s3rver encrypts ListObjectsV2
// continuation tokens with DES, which OpenSSL 3 only offers through its legacy provider (without it
// every truncated listing answers 500). Prints `{"port":N}` once listening on 127.0.0.1. Exits, removing
// DIR, on SIGTERM/SIGINT or when stdin closes (so it never outlives the test process that started it).
import { rmSync } from 'node:fs';
import S3rver from 's3rver';

const [dir, bucket] = process.argv.slice(2);
if (!dir || !bucket) {
  console.error('usage: s3rver-child.mjs DIR BUCKET');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
let exiting = false;
function shutdown(code) {
  if (exiting) return;
  exiting = true;
  try {
    server.httpServer?.closeAllConnections();
  } catch {
    // not listening yet
  }
  rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.stdin.on('end', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();

try {
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
} catch (error) {
  console.error(`s3rver failed to start: ${error instanceof Error ? error.stack : String(error)}`);
  shutdown(1);
}
