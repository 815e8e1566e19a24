import type { ArtifactVersion, StepRun } from '../../domain/entities.js';
import { arg, defineCommand, opt } from '../command.js';
import { outputOption } from '../common.js';
import { fetchAll } from '../list-query.js';
import { durationBetween, formatDate, printObject, type Section } from '../output/format.js';
import { modelVersionLabels } from './run-list.js';

/**
 * `modelplane run describe ID`: a pipeline run with its parameters, metadata and step runs (status,
 * cache hits, inputs and outputs as artifact versions, errors; logs with --logs). JSON/YAML give the
 * run as `client.getPipelineRun` returns it plus `steps`, the step runs.
 */
export const command = defineCommand({
  path: ['run', 'describe'],
  summary: 'show a pipeline run: status, parameters, metadata and its step runs',
  args: [arg.required('id', 'pipeline run id')],
  options: { logs: opt.flag('--logs', 'also print the captured logs of each step'), output: outputOption },
  async run(ctx, { id }, o) {
    const client = await ctx.client();
    const run = await client.getPipelineRun(id);
    const steps = await (await client.backend()).listStepRuns(run.id);
    await printObject(ctx, o.output, { ...run, steps }, async () => {
      const s = ctx.style;
      // Names of the artifact versions the steps read and wrote.
      const produced = await fetchAll((page, size) => client.listArtifactVersions({ runId: run.id, page, size }));
      const byId = new Map<string, ArtifactVersion>(produced.map((a) => [a.id, a]));
      for (const step of steps) {
        for (const avId of Object.values(step.inputs)) {
          if (!byId.has(avId)) {
            const av = await client.getArtifactVersion(avId).catch(() => null);
            if (av) byId.set(avId, av);
          }
        }
      }
      const artifactLabel = (avId: string) => {
        const av = byId.get(avId);
        return av ? `${av.name} v${av.version}` : avId;
      };
      const io = (m: Record<string, string>) =>
        Object.entries(m)
          .map(([k, v]) => `${k}=${artifactLabel(v)}`)
          .join(', ') || '-';
      const labels = await modelVersionLabels(client, [run.modelVersionId]);
      const sections: Section[] = [
        {
          title: `Run ${run.id}`,
          fields: [
            ['id', run.id],
            ['name', run.name],
            ['pipeline', run.pipelineName],
            ['status', s.status(run.status)],
            ['model version', run.modelVersionId === null ? s.dim('-') : (labels.get(run.modelVersionId) ?? run.modelVersionId)],
            ['started', formatDate(run.startedAt)],
            ['ended', formatDate(run.endedAt)],
            ['duration', durationBetween(run.startedAt, run.endedAt)],
            ...(run.error ? ([['error', s.red(run.error)]] as const) : []),
          ],
        },
        { title: 'Parameters', tree: run.parameters, empty: 'none' },
        { title: 'Metadata', tree: run.runMetadata, empty: 'none' },
        {
          title: `Steps (${steps.length})`,
          table: {
            headers: ['STEP', 'STATUS', 'CACHED', 'DURATION', 'INPUTS', 'OUTPUTS'],
            rows: steps.map((st: StepRun) => [st.name, s.status(st.status), st.cacheHit ? 'yes' : 'no', durationBetween(st.startedAt, st.endedAt), io(st.inputs), io(st.outputs)]),
          },
          empty: 'no steps recorded',
        },
      ];
      const failed = steps.filter((st) => st.error);
      if (failed.length) sections.push({ title: 'Step errors', lines: failed.map((st) => `${st.name}: ${s.red(st.error!)}`) });
      if (o.logs) {
        for (const st of steps) sections.push({ title: `Logs of ${st.name}`, lines: st.logs === '' ? [] : st.logs.replace(/\n$/, '').split('\n'), empty: 'no output' });
      }
      return sections;
    });
  },
});
