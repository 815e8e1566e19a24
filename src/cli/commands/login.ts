import { arg, CliError, defineCommand, opt, UsageError } from '../command.js';

/**
 * `modelplane login URL --api-key KEY`: checks that URL is a modelplane server and accepts the key,
 * then stores both in `$MODELPLANE_HOME/config.json` (mode 0600, written atomically), which makes the
 * server the active configuration of the SDK and CLI. Nothing is written when a check fails.
 */
export const command = defineCommand({
  path: ['login'],
  summary: 'use a modelplane server: check URL and API key, then save them in the config file',
  description:
    'Checks that URL answers as a modelplane server (GET /api/v1/health) and that the API key is accepted, then saves both in ' +
    '$MODELPLANE_HOME/config.json (default ~/.modelplane/config.json, readable only by you). From then on the SDK (new Client()) and ' +
    'the CLI use that server, unless MODELPLANE_URL or MODELPLANE_DATABASE_URL say otherwise. `modelplane logout` undoes it.',
  args: [arg.required('url', 'the server, e.g. https://modelplane.example.com or http://127.0.0.1:8237')],
  options: {
    apiKey: opt.string('--api-key <key>', 'your API key (from the admin, or `modelplane apikey create`)'),
  },
  examples: ['modelplane login https://modelplane.example.com --api-key mp_…', 'modelplane login http://127.0.0.1:8237 --api-key "$MODELPLANE_API_KEY"'],
  validate({ url }, o) {
    if (o.apiKey === undefined || o.apiKey.trim() === '') throw new UsageError("missing required option '--api-key <key>'.");
    if (/\s/.test(o.apiKey)) throw new UsageError("option '--api-key' argument is invalid: an API key has no spaces.");
    void url;
  },
  async run(ctx, { url: rawUrl }, o) {
    const { normalizeServerUrl, probeServer, writeConfigFile } = await import('../config-file.js');
    const { configFilePath } = await import('../../sdk/config.js');
    const normalized = normalizeServerUrl(rawUrl);
    if ('error' in normalized) throw new UsageError(`argument 'url' is invalid: ${normalized.error}`, ['login']);
    const { url } = normalized;
    const apiKey = o.apiKey!.trim();
    const probe = await probeServer(url, apiKey);
    if (!probe.reachable) throw new CliError(`${probe.reachError} — nothing was saved.`);
    if (!probe.keyAccepted) throw new CliError(`${probe.keyError} — nothing was saved.`);
    const file = configFilePath(ctx.env);
    await writeConfigFile(file, { url, apiKey });
    ctx.out(`Logged in to ${url}; saved in ${file}.`);
    if (ctx.env.MODELPLANE_URL) ctx.err(ctx.errStyle.yellow(`note: MODELPLANE_URL (${ctx.env.MODELPLANE_URL}) is set and takes precedence over the config file.`));
    else if (ctx.env.MODELPLANE_DATABASE_URL) ctx.err(ctx.errStyle.yellow('note: MODELPLANE_DATABASE_URL is set and takes precedence over the config file (an embedded store).'));
  },
});
