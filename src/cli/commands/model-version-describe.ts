import type { ArtifactVersion, ModelVersion, PipelineRun, StageTransition } from '../../domain/entities.js';
import type { Client } from '../../sdk/client.js';
import { arg, defineCommand } from '../command.js';
import { ARTIFACT_GROUPS, groupOfType, outputOption } from '../common.js';
import { fetchAll } from '../list-query.js';
import { durationBetween, formatBytes, formatDate, formatTags, printObject, type Section } from '../output/format.js';
import type { Style } from '../output/style.js';

/** The fields of a version, as a describe section. */
export function versionFieldsSection(v: ModelVersion, style: Style): Section {
  return {
    title: `Model ${v.modelName}, version ${v.number}`,
    fields: [
      ['id', v.id],
      ['model', `${v.modelName} (${v.modelId})`],
      ['number', String(v.number)],
      ['name', v.name],
      ['stage', style.stage(v.stage)],
      ['description', v.description ?? style.dim('-')],
      ['tags', formatTags(v.tags)],
      ['created', formatDate(v.createdAt)],
      ['updated', formatDate(v.updatedAt)],
    ],
  };
}

/** Artifact rows of a version, one table per group (model, data, deployment). */
export function artifactGroupSections(artifacts: readonly ArtifactVersion[], style: Style): Section[] {
  return ARTIFACT_GROUPS.map((group) => ({
    title: `${group[0]!.toUpperCase()}${group.slice(1)} artifacts`,
    table: {
      headers: ['NAME', 'VERSION', 'TYPE', 'SIZE', 'DATA TYPE', 'CREATED', 'ID'],
      rows: artifacts
        .filter((a) => groupOfType(a.type) === group)
        .map((a) => [a.name, String(a.version), a.type, formatBytes(a.size), a.dataType, formatDate(a.createdAt), style.dim(a.id)]),
    },
    empty: 'none',
  }));
}

/** Run rows (pipeline, status, timings). */
export function runRows(runs: readonly PipelineRun[], style: Style): string[][] {
  return runs.map((r) => [r.id, r.pipelineName, style.status(r.status), formatDate(r.startedAt), durationBetween(r.startedAt, r.endedAt)]);
}

/** One line per stage transition: when, version, from → to, displaced, actor, reason. */
export function transitionLine(t: StageTransition, style: Style): string {
  const displaced = t.displacedVersionNumber === null ? '' : `, displaced v${t.displacedVersionNumber}`;
  return `${formatDate(t.createdAt)}  v${t.versionNumber}  ${style.stage(t.fromStage)} → ${style.stage(t.toStage)}${displaced}  by ${t.actor}${t.reason ? `: ${t.reason}` : ''}`;
}

/** Everything about one version: fields, metadata tree, artifacts by group, runs, stage history. */
export async function versionSections(client: Client, v: ModelVersion, style: Style): Promise<Section[]> {
  const [artifacts, runs, history] = await Promise.all([
    fetchAll((page, size) => client.listArtifactVersions({ modelVersionId: v.id, page, size })),
    fetchAll((page, size) => client.listPipelineRuns({ modelVersionId: v.id, page, size })),
    client.getStageHistory(v.modelId),
  ]);
  const mine = history.filter((t) => t.modelVersionId === v.id || t.displacedVersionId === v.id);
  return [
    versionFieldsSection(v, style),
    { title: 'Metadata', tree: v.runMetadata, empty: 'none' },
    ...artifactGroupSections(artifacts, style),
    { title: 'Runs', table: { headers: ['ID', 'PIPELINE', 'STATUS', 'STARTED', 'DURATION'], rows: runRows(runs, style) }, empty: 'none' },
    {
      title: 'Stage history',
      lines: mine.map((t) => (t.modelVersionId === v.id ? transitionLine(t, style) : `${formatDate(t.createdAt)}  ${style.stage(t.toStage)} → ${style.stage('archived')}, displaced by v${t.versionNumber}  (${t.actor})`)),
      empty: 'none',
    },
  ];
}

/** `modelplane model version describe NAME VERSION` */
export const command = defineCommand({
  path: ['model', 'version', 'describe'],
  summary: 'show a version: fields, tags, stage, metadata, artifacts by type, runs and stage history',
  args: [arg.required('name', 'model name or id'), arg.required('version', 'version number, name, id, or a stage: latest, staging, production, archived')],
  options: { output: outputOption },
  examples: ['modelplane model version describe iris_classifier production', 'modelplane model version describe iris_classifier 3 --output json'],
  async run(ctx, { name, version }, o) {
    const client = await ctx.client();
    const v = await client.getModelVersion(name, version);
    await printObject(ctx, o.output, v, () => versionSections(client, v, ctx.style));
  },
});
