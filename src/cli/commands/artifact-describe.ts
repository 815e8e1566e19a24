import type { PipelineRun } from '../../domain/entities.js';
import { arg, defineCommand } from '../command.js';
import { outputOption, parseArtifactVersionArg } from '../common.js';
import { formatBytes, formatDate, formatTags, printObject } from '../output/format.js';

/** `modelplane artifact describe NAME [VERSION]`: one artifact version (the newest without VERSION). */
export const command = defineCommand({
  path: ['artifact', 'describe'],
  summary: 'show an artifact version: type, size, hash, where it is stored, producer, tags, metadata',
  args: [arg.required('name', 'artifact name, or an artifact version id'), arg.optional('version', 'version number (default: the newest)')],
  options: { output: outputOption },
  examples: ['modelplane artifact describe trained_model', 'modelplane artifact describe trained_model 3 --output json'],
  async run(ctx, { name, version }, o) {
    const n = parseArtifactVersionArg(version, ['artifact', 'describe']);
    const client = await ctx.client();
    const av = await client.getArtifactVersion(name, n);
    await printObject(ctx, o.output, av, async () => {
      let producer = ctx.style.dim('-');
      if (av.producerRunId !== null) {
        const run: PipelineRun | null = await client.getPipelineRun(av.producerRunId).catch(() => null);
        producer = run ? `run ${run.id} (pipeline ${run.pipelineName}, ${ctx.style.status(run.status)})` : `run ${av.producerRunId}`;
        if (av.producerStepRunId !== null) producer += `, step run ${av.producerStepRunId}`;
      }
      return [
        {
          title: `Artifact ${av.name}, version ${av.version}`,
          fields: [
            ['id', av.id],
            ['artifact id', av.artifactId],
            ['name', av.name],
            ['version', String(av.version)],
            ['type', av.type],
            ['size', `${formatBytes(av.size)} (${av.size} bytes)`],
            ['sha256', av.contentHash],
            ['uri', av.uri],
            ['materializer', av.materializer],
            ['data type', av.dataType],
            ['producer', producer],
            ['tags', formatTags(av.tags)],
            ['created', formatDate(av.createdAt)],
          ],
        },
        { title: 'Metadata', tree: av.runMetadata, empty: 'none' },
      ];
    });
  },
});
