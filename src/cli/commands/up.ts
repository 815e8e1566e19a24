import { defineCommand, opt, UsageError } from '../command.js';
import { isLoopback, listenOptions, serve } from '../serve.js';

/**
 * `modelplane up`: the server (and the dashboard, when it ships) on the embedded store of the active
 * configuration (`MODELPLANE_HOME`, default ~/.modelplane) — the local registry over HTTP. Bound to
 * loopback, auth is off (only this machine can connect); another interface needs `--auth`.
 */
export const command = defineCommand({
  path: ['up'],
  summary: 'serve the local (embedded) store over HTTP on 127.0.0.1: REST API and dashboard',
  description:
    "Serves the embedded store of MODELPLANE_HOME (default ~/.modelplane) — the same data the SDK and CLI use without a server — on a local port. " +
    'On a loopback address there is no authentication. Binding to another interface exposes the store, so it needs --auth: ' +
    'API keys are then required, and an admin key is created and printed once on the first start (or MODELPLANE_ADMIN_KEY is used). ' +
    'SIGINT / SIGTERM stop it gracefully.',
  args: [],
  options: {
    ...listenOptions,
    auth: opt.flag('--auth', 'require API keys (needed to listen on a non-loopback address)'),
  },
  examples: ['modelplane up', 'modelplane up --port 9000', 'modelplane up --host 0.0.0.0 --auth'],
  validate(_args, o) {
    if (!isLoopback(o.host) && !o.auth) {
      throw new UsageError(`refusing to serve the embedded store without authentication on ${o.host}, which other machines can reach: add --auth (API keys required), or use --host 127.0.0.1.`);
    }
  },
  async run(ctx, _args, o) {
    const { resolveEmbeddedConfig } = await import('../../sdk/config.js');
    const config = resolveEmbeddedConfig({}, ctx.env);
    const adminKey = ctx.env.MODELPLANE_ADMIN_KEY || undefined;
    await serve(
      ctx,
      {
        database: config.database,
        artifactStore: config.artifacts,
        host: o.host,
        port: o.port,
        auth: o.auth,
        ...(o.auth && adminKey ? { adminKey } : {}),
      },
      {
        what: 'up',
        notes: [
          `Store: ${config.database} (artifacts: ${config.artifacts})`,
          ...(o.auth ? [] : [ctx.style.dim('No authentication: only this machine can connect.')]),
        ],
      },
    );
  },
});
