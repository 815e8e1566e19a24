import type { PipelineRun } from '../../domain/entities.js';
import { arg, defineCommand } from '../command.js';
import { listOptions } from '../common.js';
import { fetchAll, localPage, needsLocal, runFields } from '../list-query.js';
import { durationBetween, formatDate, printList, type ListView } from '../output/format.js';

/** How runs look in a listing (shared with `run list`, which adds the model version). */
export const runView: ListView<PipelineRun> = {
  noun: 'runs',
  columns: [
    { header: 'ID', cell: (r) => r.id },
    { header: 'PIPELINE', cell: (r) => r.pipelineName, maxWidth: 30 },
    { header: 'NAME', cell: (r) => r.name, maxWidth: 40 },
    { header: 'STATUS', cell: (r, style) => style.status(r.status) },
    { header: 'STARTED', cell: (r) => formatDate(r.startedAt) },
    { header: 'DURATION', cell: (r) => durationBetween(r.startedAt, r.endedAt) },
  ],
};

/** Filter fields of run listings (help text). */
export const RUN_FILTER_FIELDS = 'pipeline, name, status, startedAt, endedAt';

/** `modelplane model version runs NAME VERSION`: pipeline runs that produced into or consumed from a version. */
export const command = defineCommand({
  path: ['model', 'version', 'runs'],
  summary: 'list the pipeline runs that produced into or consumed from a version',
  args: [arg.required('name', 'model name or id'), arg.required('version', 'version number, name, id, or a stage')],
  options: listOptions(RUN_FILTER_FIELDS, RUN_FILTER_FIELDS),
  async run(ctx, { name, version }, o) {
    const client = await ctx.client();
    const v = await client.getModelVersion(name, version);
    const page = needsLocal(o)
      ? localPage(await fetchAll((page, size) => client.listPipelineRuns({ modelVersionId: v.id, page, size })), runFields(), o, null)
      : await client.listPipelineRuns({ modelVersionId: v.id, ...(o.page === undefined ? {} : { page: o.page }), ...(o.size === undefined ? {} : { size: o.size }) });
    await printList(ctx, o.output, page, runView);
  },
});
