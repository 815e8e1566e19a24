import { defineCommand } from '../command.js';
import { outputOption } from '../common.js';
import { formatBytes, printObject } from '../output/format.js';

/** `modelplane artifact gc`: frees stored bytes no artifact version refers to (never referenced ones). */
export const command = defineCommand({
  path: ['artifact', 'gc'],
  summary: 'free stored artifact bytes that no artifact version refers to',
  description:
    'Deletes stored blobs that no artifact version refers to any more (e.g. after deleting models) and stale temporary files. ' +
    'Bytes still referenced are never deleted; unreferenced blobs younger than an hour are kept (a save may be recording them).',
  args: [],
  options: { output: outputOption },
  async run(ctx, _args, o) {
    const client = await ctx.client();
    const result = await client.gcArtifacts();
    if (o.output === 'table') {
      ctx.out(`Freed ${result.deleted} blob${result.deleted === 1 ? '' : 's'} (${formatBytes(result.bytesFreed)}).`);
      return;
    }
    await printObject(ctx, o.output, result, () => []);
  },
});
