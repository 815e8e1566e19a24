import type { Model, ModelVersion } from '../../domain/entities.js';
import { arg, defineCommand } from '../command.js';
import { outputOption, versionLabel } from '../common.js';
import { formatDate, formatTags, printObject, truncate, type Section } from '../output/format.js';
import type { Style } from '../output/style.js';

const SHOWN_VERSIONS = 20;

/** The fields of a model (its card included), as a describe section. */
export function modelSections(model: Model, style: Style): Section[] {
  const text = (v: string | null) => v ?? style.dim('-');
  return [
    {
      title: `Model ${model.name}`,
      fields: [
        ['id', model.id],
        ['name', model.name],
        ['license', text(model.license)],
        ['description', text(model.description)],
        ['audience', text(model.audience)],
        ['use cases', text(model.useCases)],
        ['limitations', text(model.limitations)],
        ['trade-offs', text(model.tradeOffs)],
        ['ethics', text(model.ethics)],
        ['tags', formatTags(model.tags)],
        ['latest version', model.latestVersion === null ? style.dim('none yet') : versionLabel({ number: model.latestVersion, name: model.latestVersionName ?? String(model.latestVersion) })],
        ['created', formatDate(model.createdAt)],
        ['updated', formatDate(model.updatedAt)],
      ],
    },
  ];
}

/** `modelplane model describe NAME`: the model card, who holds each stage, and its newest versions. */
export const command = defineCommand({
  path: ['model', 'describe'],
  summary: 'show a model: its card, tags, stage holders and versions',
  args: [arg.required('name', 'model name or id')],
  options: { output: outputOption },
  async run(ctx, { name }, o) {
    const client = await ctx.client();
    const model = await client.getModel(name);
    await printObject(ctx, o.output, model, async () => {
      const [production, staging, recent] = await Promise.all([
        client.listModelVersions({ model: model.id, stage: 'production', size: 1 }),
        client.listModelVersions({ model: model.id, stage: 'staging', size: 1 }),
        client.listModelVersions({ model: model.id, sortBy: '-number', size: SHOWN_VERSIONS }),
      ]);
      const holder = (v: ModelVersion | undefined) => (v ? versionLabel(v) : ctx.style.dim('nobody'));
      const sections = modelSections(model, ctx.style);
      sections.push({ title: 'Stages', fields: [['production', holder(production.items[0])], ['staging', holder(staging.items[0])]] });
      sections.push({
        title: recent.total > recent.items.length ? `Versions (newest ${recent.items.length} of ${recent.total}; all: modelplane model version list ${model.name})` : `Versions (${recent.total})`,
        table: {
          headers: ['VERSION', 'NAME', 'STAGE', 'TAGS', 'CREATED', 'DESCRIPTION'],
          rows: recent.items.map((v) => [String(v.number), v.name, ctx.style.stage(v.stage), formatTags(v.tags), formatDate(v.createdAt), truncate(v.description ?? '', 40)]),
        },
        empty: 'no versions yet',
      });
      return sections;
    });
  },
});
