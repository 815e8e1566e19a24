import { arg, defineCommand, opt } from '../command.js';
import { versionLabel } from '../common.js';

/** `modelplane model version delete NAME VERSION [--yes]` */
export const command = defineCommand({
  path: ['model', 'version', 'delete'],
  summary: 'delete a version with its links and metadata (its stage history stays)',
  args: [arg.required('name', 'model name or id'), arg.required('version', 'version number, name, id, or a stage')],
  options: { yes: opt.flag('-y, --yes', 'do not ask for confirmation') },
  async run(ctx, { name, version }, o) {
    const client = await ctx.client();
    const v = await client.getModelVersion(name, version);
    const label = `version ${versionLabel(v)} of model "${v.modelName}"`;
    await ctx.confirm(`Delete ${label} (stage ${v.stage}) with its artifact links and metadata? Artifacts and runs stay.`, { yes: o.yes, action: `delete ${label}` });
    await client.deleteModelVersion(v.id);
    ctx.out(`Deleted ${label}.`);
  },
});
