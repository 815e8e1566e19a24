import type { ArtifactVersion } from '../../domain/entities.js';
import { arg, defineCommand, opt } from '../command.js';
import { ARTIFACT_GROUPS, groupOfType, listOptions, typesOfGroup } from '../common.js';
import { artifactFields, fetchAll, localPage, needsLocal } from '../list-query.js';
import { formatBytes, formatDate, formatTags, printList, type ListView } from '../output/format.js';

/** How artifact versions look in a listing (shared with `artifact list`). */
export const artifactView: ListView<ArtifactVersion> = {
  noun: 'artifact versions',
  columns: [
    { header: 'NAME', cell: (a) => a.name, maxWidth: 40 },
    { header: 'VERSION', cell: (a) => String(a.version) },
    { header: 'TYPE', cell: (a) => a.type },
    { header: 'SIZE', cell: (a) => formatBytes(a.size) },
    { header: 'DATA TYPE', cell: (a) => a.dataType, maxWidth: 30 },
    { header: 'TAGS', cell: (a) => formatTags(a.tags), maxWidth: 30 },
    { header: 'CREATED', cell: (a) => formatDate(a.createdAt) },
    { header: 'ID', cell: (a, style) => style.dim(a.id) },
  ],
};

const FILTER_FIELDS = 'name, version, type, tag, size, materializer, dataType, createdAt';

/** `modelplane model version artifacts NAME VERSION [--type model|data|deployment]` */
export const command = defineCommand({
  path: ['model', 'version', 'artifacts'],
  summary: 'list the artifact versions linked to a version (model, data and deployment artifacts)',
  args: [arg.required('name', 'model name or id'), arg.required('version', 'version number, name, id, or a stage')],
  options: {
    type: opt.choice('--type <group>', 'only this group (data includes statistics, schema and analysis)', ARTIFACT_GROUPS),
    ...listOptions(FILTER_FIELDS, 'name, version, type, size, materializer, dataType, createdAt'),
  },
  examples: ['modelplane model version artifacts iris_classifier production --type model'],
  async run(ctx, { name, version }, o) {
    const client = await ctx.client();
    const v = await client.getModelVersion(name, version);
    const type = o.type === undefined ? undefined : typesOfGroup(o.type);
    const query = { modelVersionId: v.id, ...(type === undefined ? {} : { type }) };
    if (needsLocal(o)) {
      const all = await fetchAll((page, size) => client.listArtifactVersions({ ...query, page, size }));
      // Group order (model, data, deployment) first, then the store's order (name, newest version first).
      const rank = (a: ArtifactVersion) => ARTIFACT_GROUPS.indexOf(groupOfType(a.type));
      const ordered = all.map((a, i) => ({ a, i })).sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i).map((x) => x.a);
      await printList(ctx, o.output, localPage(ordered, artifactFields(), o, null), artifactView);
      return;
    }
    const page = await client.listArtifactVersions({ ...query, ...(o.page === undefined ? {} : { page: o.page }), ...(o.size === undefined ? {} : { size: o.size }) });
    await printList(ctx, o.output, page, artifactView);
  },
});
