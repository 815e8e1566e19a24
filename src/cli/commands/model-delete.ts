import { arg, defineCommand, opt } from '../command.js';

/** `modelplane model delete NAME [--yes]`: asks first on a terminal; refuses without one unless --yes. */
export const command = defineCommand({
  path: ['model', 'delete'],
  summary: 'delete a model with its versions, links, metadata and stage history (artifacts and runs stay)',
  args: [arg.required('name', 'model name or id')],
  options: { yes: opt.flag('-y, --yes', 'do not ask for confirmation') },
  async run(ctx, { name }, o) {
    const client = await ctx.client();
    const model = await client.getModel(name);
    const { total } = await client.listModelVersions({ model: model.id, size: 1 });
    const versions = `${total} version${total === 1 ? '' : 's'}`;
    await ctx.confirm(`Delete model "${model.name}" and its ${versions} (with their links, metadata and stage history)? Artifacts and runs stay.`, {
      yes: o.yes,
      action: `delete model "${model.name}"`,
    });
    await client.deleteModel(model.id);
    ctx.out(`Deleted model "${model.name}" and its ${versions}.`);
  },
});
