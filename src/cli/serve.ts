/**
 * What `modelplane server` and `modelplane up` share: starting the server (src/server, loaded only when
 * one of them runs), printing where it listens and — once, when it was just created — the admin key,
 * and a graceful stop on SIGINT / SIGTERM: in-flight requests finish and the stores close, then exit 0.
 */
import { CliError, opt } from './command.js';
import type { CliContext } from './context.js';

/** The default port of `server` and `up`. */
export const DEFAULT_PORT = 8237;
/** The default interface: loopback only. */
export const DEFAULT_HOST = '127.0.0.1';

/** `--host` and `--port`, shared by `server` and `up`. */
export const listenOptions = {
  host: opt.withDefault(opt.string('--host <address>', 'interface to listen on'), DEFAULT_HOST),
  port: opt.withDefault(opt.int('--port <n>', 'port to listen on (0: any free port)', { min: 0, max: 65_535 }), DEFAULT_PORT),
};

/** The options `startServer` (src/server/start-server.ts) takes. */
export interface ServeOptions {
  database: string;
  artifactStore: string;
  s3?: { endpoint?: string; region?: string; forcePathStyle?: boolean; credentials?: { accessKeyId: string; secretAccessKey: string } };
  host: string;
  port: number;
  auth: boolean;
  adminKey?: string;
}

/** True for an address only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/** How long `close()` may take after a stop signal before the process exits anyway. */
const CLOSE_GRACE_MS = 30_000;

/**
 * Starts the server, prints its URL (and a new admin key, once), then waits for SIGINT / SIGTERM and
 * closes it. Resolves when the server has closed; the process then exits 0.
 */
export async function serve(ctx: CliContext, options: ServeOptions, banner: { what: string; notes?: readonly string[] }): Promise<void> {
  const { startServer } = await import('../server/start-server.js');
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ ...options, log: (line: string) => ctx.err(line) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host}:${options.port}`;
    if (code === 'EADDRINUSE') throw new CliError(`cannot listen on ${where}: the port is in use (another modelplane?). Pick another with --port.`);
    if (code === 'EACCES') throw new CliError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges). Pick another with --port.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on ${where}: no such address on this machine. Check --host.`);
    throw error;
  }

  let stopping: ((signal: NodeJS.Signals) => void) | undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => (stopping = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      const resolve = stopping;
      stopping = undefined;
      resolve(signal);
      return;
    }
    // A second signal while closing: stop now.
    ctx.err(`${signal} again: exiting without waiting for in-flight requests.`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  ctx.out(`modelplane ${banner.what} listening on ${server.url}`);
  if (server.adminKey !== null) {
    ctx.out('');
    ctx.out(`Admin API key: ${server.adminKey}`);
    ctx.out(ctx.style.yellow('This key is shown only once: store it now (a password manager, a secret store). The server keeps only a hash of it.'));
    ctx.out(`Log in with: modelplane login ${server.url} --api-key <key>`);
  }
  for (const note of banner.notes ?? []) ctx.out(note);
  ctx.out(ctx.style.dim('Press Ctrl+C to stop.'));

  const signal = await stopped;
  ctx.err(`${signal}: stopping (finishing in-flight requests) …`);
  const force = setTimeout(() => {
    ctx.err(`the server did not close within ${CLOSE_GRACE_MS / 1000}s: exiting.`);
    process.exit(1);
  }, CLOSE_GRACE_MS);
  force.unref();
  try {
    await server.close();
  } finally {
    clearTimeout(force);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  ctx.err('stopped.');
  // Whatever a driver may still hold open (a pool's idle timer …) must not keep a stopped server alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
}
