import { defineCommand } from '../command.js';

/** `modelplane logout`: removes the config file of `login`; the embedded store is active again. */
export const command = defineCommand({
  path: ['logout'],
  summary: 'forget the server of `modelplane login` (remove the config file)',
  description: 'Removes $MODELPLANE_HOME/config.json (default ~/.modelplane/config.json). The SDK and CLI use the embedded store again (unless MODELPLANE_URL is set).',
  args: [],
  options: {},
  async run(ctx) {
    const { removeConfigFile } = await import('../config-file.js');
    const { configFilePath } = await import('../../sdk/config.js');
    const file = configFilePath(ctx.env);
    const removed = await removeConfigFile(file);
    ctx.out(removed ? `Logged out: removed ${file}.` : `Not logged in (no ${file}).`);
    if (ctx.env.MODELPLANE_URL) ctx.err(ctx.errStyle.yellow(`note: MODELPLANE_URL (${ctx.env.MODELPLANE_URL}) is still set: unset it to use the embedded store.`));
  },
});
