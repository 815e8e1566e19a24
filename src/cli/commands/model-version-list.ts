import type { ModelVersion } from '../../domain/entities.js';
import { arg, defineCommand, opt } from '../command.js';
import { listOptions, STAGES } from '../common.js';
import { formatDate, formatTags, printList, type ListView } from '../output/format.js';

const view: ListView<ModelVersion> = {
  noun: 'versions',
  columns: [
    { header: 'VERSION', cell: (v) => String(v.number) },
    { header: 'NAME', cell: (v) => v.name, maxWidth: 30 },
    { header: 'STAGE', cell: (v, style) => style.stage(v.stage) },
    { header: 'TAGS', cell: (v) => formatTags(v.tags), maxWidth: 30 },
    { header: 'CREATED', cell: (v) => formatDate(v.createdAt) },
    { header: 'DESCRIPTION', cell: (v) => v.description ?? '', maxWidth: 40 },
  ],
};

/** `modelplane model version list NAME [--stage S]` */
export const command = defineCommand({
  path: ['model', 'version', 'list'],
  summary: "list a model's versions",
  args: [arg.required('name', 'model name or id')],
  options: {
    stage: opt.choice('--stage <stage>', 'only versions in this stage', STAGES),
    ...listOptions('name, number, stage, tag, description, createdAt, updatedAt', 'number, name, stage, createdAt, updatedAt'),
  },
  examples: ['modelplane model version list iris_classifier --stage archived --sort -number', 'modelplane model version list iris_classifier --filter "number>=3 and tag=rc"'],
  async run(ctx, { name }, o) {
    const client = await ctx.client();
    const page = await client.listModelVersions({
      model: name,
      ...(o.stage === undefined ? {} : { stage: o.stage }),
      ...(o.filter === undefined ? {} : { filter: o.filter }),
      ...(o.sort === undefined ? {} : { sortBy: o.sort }),
      ...(o.page === undefined ? {} : { page: o.page }),
      ...(o.size === undefined ? {} : { size: o.size }),
    });
    await printList(ctx, o.output, page, view);
  },
});
