/**
 * A throwaway S3-compatible server for test suites (DESIGN.md §6): s3rver (an npm dev dependency)
 * started programmatically in a child process on a loopback port the OS picks (no race for a "free"
 * port), storing objects in a fresh temp folder that `stop()` removes. One bucket is created up front.
 * Nothing is mocked: clients talk real S3 HTTP to it.
 *
 *   const s3 = await startS3();
 *   afterAll(async () => { await s3.stop(); });
 *   const store = await S3ArtifactStore.open(`s3://${s3.bucket}/prefix`, s3.options);
 *
 * s3rver is an npm package, so unlike PostgreSQL or Redis it is never "missing": startS3 never skips,
 * under CI or not, and any start failure throws. Why a child process: s3rver's ListObjectsV2
 * continuation tokens use DES, which Node's OpenSSL 3 offers only with `--openssl-legacy-provider`
 * (see s3rver-child.mjs); a separate process also keeps the server's memory and CPU out of the
 * measurements of the test process. Known differences from AWS: multipart ETags are not `md5-N`, and
 * s3rver implements neither UploadPartCopy nor ListMultipartUploads (both answer NotImplemented).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

/** Connection options accepted by S3ArtifactStore.open, EmbeddedBackend.open({ s3 }) and `new S3Client`. */
export interface S3TestOptions {
  endpoint: string;
  region: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A running s3rver. */
export interface S3Handle {
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
  port: number;
  /** The bucket created at start. */
  bucket: string;
  /** Its temp folder (object data); removed by `stop()`. */
  dir: string;
  /** Endpoint, region, path-style addressing and s3rver's fixed credentials. */
  options: S3TestOptions;
  /** A client for direct inspection; destroyed by `stop()`. */
  client: S3Client;
  /** Creates another bucket. */
  createBucket(name: string): Promise<void>;
  /** Stops the server and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** s3rver accepts only this hard-coded key pair when it checks signatures. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const START_TIMEOUT_MS = 30_000;
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3rver-child.mjs');

/** Starts s3rver on 127.0.0.1 (port chosen by the OS) with one bucket, `modelplane-test` by default. */
export async function startS3(options: { bucket?: string } = {}): Promise<S3Handle> {
  const bucket = options.bucket ?? 'modelplane-test';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'modelplane-s3-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD, dir, bucket], {
    // stdin stays open as a lifeline: the child exits when it closes, i.e. when this process dies.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4_000)));
  let dead = false;
  const exited = new Promise<void>((resolve) => {
    const gone = () => {
      dead = true;
      resolve();
    };
    child.once('exit', gone);
    child.once('error', gone);
  });
  // Last resort when the test process exits without stop() (the child also exits when stdin closes).
  const killSync = () => {
    if (!dead) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killSync);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      if (!dead) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    } finally {
      process.off('exit', killSync);
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`s3rver did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line) {
          clearTimeout(timer);
          try {
            resolve((JSON.parse(line) as { port: number }).port);
          } catch {
            reject(new Error(`s3rver child printed ${JSON.stringify(line)} instead of its port`));
          }
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error('s3rver exited during start'));
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${stderr ? `\n--- stderr ---\n${stderr.trim()}` : ''}`, { cause: error });
  }
  // Neither the child nor its pipes may keep a test process alive on their own.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();

  const endpoint = `http://127.0.0.1:${port}`;
  const s3Options: S3TestOptions = { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS };
  const client = new S3Client(s3Options);
  return {
    endpoint,
    port,
    bucket,
    dir,
    options: s3Options,
    client,
    async createBucket(name: string) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      await stop();
    },
  };
}
