import { defineCommand, opt } from '../command.js';
import { ARTIFACT_TYPES, listOptions } from '../common.js';
import { artifactFields, fetchAll, localPage, needsLocal } from '../list-query.js';
import { printList } from '../output/format.js';
import { artifactView } from './model-version-artifacts.js';

/** `modelplane artifact list [--name N] [--type T]`: artifact versions, by name then newest first. */
export const command = defineCommand({
  path: ['artifact', 'list'],
  summary: 'list artifact versions',
  args: [],
  options: {
    name: opt.string('--name <name>', 'only versions of this artifact'),
    type: opt.choice('--type <type>', 'only this artifact type', ARTIFACT_TYPES),
    ...listOptions('name, version, type, tag, size, materializer, dataType, createdAt', 'name, version, type, size, materializer, dataType, createdAt'),
  },
  examples: ['modelplane artifact list --type model', 'modelplane artifact list --filter "name~checkpoint and size>1000000" --sort -createdAt'],
  async run(ctx, _args, o) {
    const client = await ctx.client();
    const query = { ...(o.name === undefined ? {} : { name: o.name }), ...(o.type === undefined ? {} : { type: o.type }) };
    const page = needsLocal(o)
      ? localPage(await fetchAll((page, size) => client.listArtifactVersions({ ...query, page, size })), artifactFields(), o, null)
      : await client.listArtifactVersions({ ...query, ...(o.page === undefined ? {} : { page: o.page }), ...(o.size === undefined ? {} : { size: o.size }) });
    await printList(ctx, o.output, page, artifactView);
  },
});
