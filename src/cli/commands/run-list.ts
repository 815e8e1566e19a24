import type { PipelineRun } from '../../domain/entities.js';
import type { Client } from '../../sdk/client.js';
import { defineCommand, opt } from '../command.js';
import { listOptions, RUN_STATUSES, versionLabel } from '../common.js';
import { fetchAll, localPage, needsLocal, runFields } from '../list-query.js';
import { printList, type ListView } from '../output/format.js';
import { RUN_FILTER_FIELDS, runView } from './model-version-runs.js';

/** `model vN` labels for the model versions runs used (one lookup per distinct version). */
export async function modelVersionLabels(client: Client, ids: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  const backend = await client.backend();
  const labels = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (id === null) continue;
    const v = await backend.getModelVersionById(id).catch(() => null);
    labels.set(id, v ? `${v.modelName} ${versionLabel(v)}` : `${id} (deleted)`);
  }
  return labels;
}

/** `modelplane run list [--pipeline P] [--status S]`: pipeline runs, newest first. */
export const command = defineCommand({
  path: ['run', 'list'],
  summary: 'list pipeline runs, newest first',
  args: [],
  options: {
    pipeline: opt.string('--pipeline <name>', 'only runs of this pipeline'),
    status: opt.choice('--status <status>', 'only runs with this status', RUN_STATUSES),
    ...listOptions(RUN_FILTER_FIELDS, RUN_FILTER_FIELDS),
  },
  examples: ['modelplane run list --pipeline iris_training --status completed', 'modelplane run list --filter "startedAt>2026-12-01" --output json'],
  async run(ctx, _args, o) {
    const client = await ctx.client();
    const query = { ...(o.pipeline === undefined ? {} : { pipeline: o.pipeline }), ...(o.status === undefined ? {} : { status: o.status }) };
    const page = needsLocal(o)
      ? localPage(await fetchAll((page, size) => client.listPipelineRuns({ ...query, page, size })), runFields(), o, null)
      : await client.listPipelineRuns({ ...query, ...(o.page === undefined ? {} : { page: o.page }), ...(o.size === undefined ? {} : { size: o.size }) });
    const labels = o.output === 'table' ? await modelVersionLabels(client, page.items.map((r) => r.modelVersionId)) : new Map<string, string>();
    const view: ListView<PipelineRun> = {
      ...runView,
      columns: [...runView.columns, { header: 'MODEL VERSION', cell: (r) => (r.modelVersionId === null ? '-' : (labels.get(r.modelVersionId) ?? r.modelVersionId)), maxWidth: 40 }],
    };
    await printList(ctx, o.output, page, view);
  },
});
