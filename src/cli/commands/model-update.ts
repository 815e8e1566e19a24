import { arg, defineCommand, opt, UsageError } from '../command.js';
import { cardFields, modelCardOptions, outputOption } from '../common.js';
import { printObject } from '../output/format.js';
import { modelSections } from './model-describe.js';

/** `modelplane model update NAME [--name N] [--description D] … [--tag T] [--remove-tag T]` */
export const command = defineCommand({
  path: ['model', 'update'],
  summary: 'change a model: rename it, edit its card, add or remove tags',
  args: [arg.required('name', 'model name or id')],
  options: {
    name: opt.string('--name <name>', 'rename the model'),
    ...modelCardOptions,
    tag: opt.list('--tag <tag>', 'add a tag (repeatable)'),
    removeTag: opt.list('--remove-tag <tag>', 'remove a tag (repeatable)'),
    output: outputOption,
  },
  examples: ['modelplane model update iris_classifier --description "Random forest on the Iris dataset" --tag prod --remove-tag draft'],
  validate(_args, o) {
    if (o.name === undefined && Object.keys(cardFields(o)).length === 0 && o.tag.length === 0 && o.removeTag.length === 0) {
      throw new UsageError('nothing to update: pass at least one of --name, --license, --description, --audience, --use-cases, --limitations, --trade-offs, --ethics, --tag, --remove-tag.');
    }
  },
  async run(ctx, { name }, o) {
    const client = await ctx.client();
    const model = await client.updateModel(name, {
      ...cardFields(o),
      ...(o.name === undefined ? {} : { name: o.name }),
      ...(o.tag.length ? { addTags: o.tag } : {}),
      ...(o.removeTag.length ? { removeTags: o.removeTag } : {}),
    });
    if (o.output === 'table') {
      ctx.out(`Updated model "${model.name}".`);
      return;
    }
    await printObject(ctx, o.output, model, () => modelSections(model, ctx.style));
  },
});
