import { CliError, defineCommand } from '../command.js';
import { outputOption } from '../common.js';
import { printObject, type Section } from '../output/format.js';

const SOURCES = {
  options: 'command line',
  env: 'environment',
  'config-file': 'config file',
  default: 'default',
} as const;

/**
 * `modelplane status`: which store the SDK and CLI use right now, and why. Embedded: the home folder,
 * database and artifact store. Server: the URL, whether it answers and whether the key is accepted
 * (exit 1 when not, after printing the status).
 */
export const command = defineCommand({
  path: ['status'],
  summary: 'show the active store (embedded or server) and, for a server, whether it answers and accepts the key',
  description:
    'Shows which store is active and where that choice comes from: MODELPLANE_URL / MODELPLANE_API_KEY, MODELPLANE_DATABASE_URL, the ' +
    'config file of `modelplane login`, or the embedded default in MODELPLANE_HOME. For a server it also checks that the server answers ' +
    'and accepts the API key, and exits 1 when not.',
  args: [],
  options: { output: outputOption },
  async run(ctx, _args, o) {
    const { resolveConfig } = await import('../../sdk/config.js');
    const config = resolveConfig({}, ctx.env);
    if (config.kind === 'embedded') {
      const status = { kind: 'embedded' as const, source: config.source, home: config.home, database: config.database, artifacts: config.artifacts, configFile: config.configFile };
      await printObject(ctx, o.output, status, (): Section[] => [
        {
          title: 'Embedded store',
          fields: [
            ['home', config.home],
            ['database', config.database],
            ['artifacts', config.artifacts],
            ['chosen by', SOURCES[config.source]],
          ],
        },
      ]);
      return;
    }

    const { probeServer } = await import('../config-file.js');
    const url = config.url!.replace(/\/+$/, '');
    const probe = await probeServer(url, config.apiKey, 5_000);
    const status = {
      kind: 'server' as const,
      source: config.source,
      url,
      ...(config.source === 'config-file' ? { configFile: config.configFile } : {}),
      apiKey: config.apiKey ? mask(config.apiKey) : null,
      reachable: probe.reachable,
      keyAccepted: probe.keyAccepted ?? null,
      ...(probe.reachError || probe.keyError ? { error: probe.reachError ?? probe.keyError } : {}),
    };
    const yes = (ok: boolean | undefined) => (ok === undefined ? ctx.style.dim('unknown') : ok ? ctx.style.green('yes') : ctx.style.red('no'));
    await printObject(ctx, o.output, status, (): Section[] => [
      {
        title: 'Server',
        fields: [
          ['url', url],
          ['chosen by', config.source === 'config-file' ? `${SOURCES[config.source]} (${config.configFile})` : SOURCES[config.source]],
          ['api key', status.apiKey ?? ctx.style.dim('none')],
          ['reachable', yes(probe.reachable)],
          ['key accepted', yes(probe.keyAccepted)],
        ],
      },
    ]);
    if (!probe.reachable) throw new CliError(probe.reachError ?? `cannot reach ${url}`);
    if (!probe.keyAccepted) throw new CliError(probe.keyError ?? 'the API key is not accepted');
  },
});

/** `mp_3f2b9c1d…`: the start of the key's id part (not secret), to tell keys apart; nothing of the secret. */
function mask(key: string): string {
  const id = /^mp_([0-9a-f]{32})_/.exec(key)?.[1];
  return id ? `mp_${id.slice(0, 8)}…` : '****';
}
