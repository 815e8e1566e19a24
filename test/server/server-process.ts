/**
 * A `modelplane server` in its own OS process, for the multi-server and restart tests: the real CLI
 * (`node --import tsx src/cli/main.ts server …`, one process, so that a signal reaches the server
 * itself and not a wrapper), with the admin key given in MODELPLANE_ADMIN_KEY. `start()` resolves once
 * it printed "listening on URL"; `kill(signal)` resolves when the process has exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatApiKey } from '../../src/server/auth/api-key-format.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');
const START_TIMEOUT_MS = 30_000;

/** A fresh, well-formed API key to hand the server as its bootstrap admin key. */
export function newAdminKey(): string {
  return formatApiKey(randomUUID(), randomBytes(32));
}

export interface ServerProcessOptions {
  database: string;
  artifactStore: string;
  /** An S3-compatible endpoint (path-style addressing) and its credentials, for an s3:// store. */
  s3?: { endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  adminKey: string;
  /** 0 (default): any free port. */
  port?: number;
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far (stdout + stderr). */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal) once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const args = ['--import', 'tsx', CLI, 'server', '--database', options.database, '--artifact-store', options.artifactStore, '--port', String(options.port ?? 0)];
  const env: NodeJS.ProcessEnv = { ...process.env, MODELPLANE_ADMIN_KEY: options.adminKey, NO_COLOR: '1' };
  if (options.s3) {
    args.push('--s3-endpoint', options.s3.endpoint, '--s3-path-style', '--s3-region', 'us-east-1');
    env.AWS_ACCESS_KEY_ID = options.s3.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = options.s3.credentials.secretAccessKey;
  }
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let gone = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      gone = true;
      resolve(code);
    });
    child.once('error', () => {
      gone = true;
      resolve(null);
    });
  });
  // Last resort if the test process exits without killing it.
  const killOnExit = () => {
    if (!gone) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${out}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) during start:\n${out}`));
    });
  }).catch(async (error: unknown) => {
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
    throw error;
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => out,
    exited,
    async kill(signal) {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}
