import type { Model } from '../../domain/entities.js';
import { defineCommand } from '../command.js';
import { listOptions } from '../common.js';
import { formatDate, formatTags, printList, type ListView } from '../output/format.js';

const view: ListView<Model> = {
  noun: 'models',
  columns: [
    { header: 'NAME', cell: (m) => m.name, maxWidth: 40 },
    { header: 'LATEST', cell: (m) => (m.latestVersion === null ? '-' : String(m.latestVersion)) },
    { header: 'PRODUCTION', cell: (m) => (m.productionVersion ? String(m.productionVersion.number) : '-') },
    { header: 'STAGING', cell: (m) => (m.stagingVersion ? String(m.stagingVersion.number) : '-') },
    { header: 'LICENSE', cell: (m) => m.license ?? '-', maxWidth: 20 },
    { header: 'TAGS', cell: (m) => formatTags(m.tags), maxWidth: 30 },
    { header: 'UPDATED', cell: (m) => formatDate(m.updatedAt) },
    { header: 'DESCRIPTION', cell: (m) => m.description ?? '', maxWidth: 40 },
  ],
};

/** `modelplane model list`: models, filtered, sorted and paged by the store. */
export const command = defineCommand({
  path: ['model', 'list'],
  summary: 'list models',
  args: [],
  options: listOptions('name, tag, license, description, createdAt, updatedAt', 'name, createdAt, updatedAt'),
  examples: ['modelplane model list --filter "name~iris and tag=prod" --sort -updatedAt', 'modelplane model list --output json'],
  async run(ctx, _args, o) {
    const client = await ctx.client();
    const page = await client.listModels({
      ...(o.filter === undefined ? {} : { filter: o.filter }),
      ...(o.sort === undefined ? {} : { sortBy: o.sort }),
      ...(o.page === undefined ? {} : { page: o.page }),
      ...(o.size === undefined ? {} : { size: o.size }),
    });
    await printList(ctx, o.output, page, view);
  },
});
