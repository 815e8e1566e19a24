import type { StageHolding, StageTransition } from '../../domain/entities.js';
import { arg, defineCommand, opt } from '../command.js';
import type { CliContext } from '../context.js';
import { listOptions, STAGES } from '../common.js';
import { localPage, transitionFields } from '../list-query.js';
import { formatDate, printList, recordsToCsv, renderJson, renderTable, renderYaml, type ListView } from '../output/format.js';

const view: ListView<StageTransition> = {
  noun: 'transitions',
  columns: [
    { header: 'WHEN', cell: (t) => formatDate(t.createdAt) },
    { header: 'VERSION', cell: (t) => (t.versionName === String(t.versionNumber) ? String(t.versionNumber) : `${t.versionNumber} (${t.versionName})`) },
    { header: 'FROM → TO', cell: (t, style) => `${style.stage(t.fromStage)} → ${style.stage(t.toStage)}` },
    { header: 'DISPLACED', cell: (t) => (t.displacedVersionNumber === null ? '-' : String(t.displacedVersionNumber)) },
    { header: 'ACTOR', cell: (t) => t.actor, maxWidth: 20 },
    { header: 'REASON', cell: (t) => t.reason ?? '', maxWidth: 50 },
  ],
};

/**
 * `modelplane model version history NAME [--stage S] [--at TIME]`: the stage transitions of a model,
 * oldest first; with `--at`, who held each stage (or the one given) at that moment.
 */
export const command = defineCommand({
  path: ['model', 'version', 'history'],
  summary: "show a model's stage transitions, or with --at who held a stage at that time",
  args: [arg.required('name', 'model name or id')],
  options: {
    stage: opt.choice('--stage <stage>', 'only transitions into or out of this stage', STAGES),
    at: opt.date('--at <time>', 'who held the stage (with --stage) or production and staging at this time, e.g. 2026-12-01T12:00:00Z'),
    ...listOptions('version, name, from, to, displaced, actor, reason, createdAt', 'version, name, from, to, displaced, actor, reason, createdAt'),
  },
  examples: [
    'modelplane model version history iris_classifier --stage production',
    'modelplane model version history iris_classifier --stage production --at 2026-11-01T12:00:00Z',
  ],
  async run(ctx, { name }, o) {
    const client = await ctx.client();
    if (o.at !== undefined) {
      const at = o.at;
      const stages = o.stage === undefined ? (['production', 'staging'] as const) : [o.stage];
      const holdings: StageHolding[] = [];
      for (const stage of stages) holdings.push(await client.getStageHistory(name, { stage, at }));
      await printHoldings(ctx, o.output, holdings);
      return;
    }
    const history = await client.getStageHistory(name, o.stage === undefined ? {} : { stage: o.stage });
    await printList(ctx, o.output, localPage(history, transitionFields(), o, null), view);
  },
});

async function printHoldings(ctx: CliContext, format: string, holdings: StageHolding[]): Promise<void> {
  if (format === 'json') return void ctx.out(renderJson(holdings));
  if (format === 'yaml') return void ctx.out(await renderYaml(holdings));
  const rows = holdings.flatMap((h) =>
    h.holders.length === 0
      ? [{ stage: h.stage, at: h.at, version: null as number | null, name: null as string | null, id: null as string | null, since: null as Date | null }]
      : h.holders.map((x) => ({ stage: h.stage, at: h.at, version: x.versionNumber, name: x.versionName, id: x.modelVersionId, since: x.since })),
  );
  if (format === 'csv') return void ctx.out(recordsToCsv(rows));
  ctx.out(`Stage holders at ${formatDate(holdings[0]?.at ?? null)}`);
  ctx.out(
    await renderTable(
      ['STAGE', 'VERSION', 'NAME', 'SINCE'],
      rows.map((r) => [ctx.style.stage(r.stage), r.version === null ? ctx.style.dim('nobody') : String(r.version), r.name ?? '-', formatDate(r.since)]),
      ctx.style,
    ),
  );
}
