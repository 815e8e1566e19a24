import { arg, defineCommand, opt } from '../command.js';
import { cardFields, modelCardOptions, outputOption } from '../common.js';
import { printObject } from '../output/format.js';
import { modelSections } from './model-describe.js';

/** `modelplane model register NAME [--license L] [--description D] … [--tag T]...` */
export const command = defineCommand({
  path: ['model', 'register'],
  summary: 'register a new model with its model card',
  args: [arg.required('name', 'model name (1–255 characters, no "/")')],
  options: {
    ...modelCardOptions,
    tag: opt.list('--tag <tag>', 'tag the model (repeatable)'),
    output: outputOption,
  },
  examples: ['modelplane model register iris_classifier --license="Apache 2.0" --description="Classification model for the Iris dataset" --tag iris'],
  async run(ctx, { name }, o) {
    const client = await ctx.client();
    const model = await client.createModel({ name, ...cardFields(o), tags: o.tag });
    if (o.output === 'table') {
      ctx.out(`Registered model "${model.name}" (id ${model.id}).`);
      return;
    }
    await printObject(ctx, o.output, model, () => modelSections(model, ctx.style));
  },
});
