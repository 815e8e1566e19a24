import { arg, CliError, defineCommand, opt, UsageError } from '../command.js';
import type { CliContext } from '../context.js';
import { parseArtifactVersionArg } from '../common.js';
import { formatBytes } from '../output/format.js';

/** Artifacts larger than this show a progress bar (on a terminal). */
const PROGRESS_MIN_BYTES = 1024 * 1024;

interface Progress {
  update(done: number): void;
  stop(): void;
}

async function progressBar(ctx: CliContext, label: string, total: number): Promise<Progress> {
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.io.stderr,
      format: `${label} {bar} {percentage}% | {done} / {size} | eta {eta_formatted}`,
      hideCursor: true,
      barsize: 30,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { done: formatBytes(0), size: formatBytes(total) });
  return {
    update: (done) => bar.update(done, { done: formatBytes(done) }),
    stop: () => bar.stop(),
  };
}

/**
 * `modelplane artifact download NAME [VERSION] --out FILE`: streams the stored bytes (as saved by the
 * materializer) to FILE, or to stdout with `--out -`, checking their sha256 on the way. The file appears
 * only when complete. On a terminal, artifacts over 1 MB show a progress bar.
 */
export const command = defineCommand({
  path: ['artifact', 'download'],
  summary: 'write the stored bytes of an artifact version to a file (progress bar over 1 MB on a terminal)',
  args: [arg.required('name', 'artifact name, or an artifact version id'), arg.optional('version', 'version number (default: the newest)')],
  options: {
    out: opt.file('--out <file>', 'where to write the bytes ("-" for stdout)'),
    force: opt.flag('--force', 'overwrite FILE if it exists'),
  },
  examples: ['modelplane artifact download trained_model 3 --out model.bin', 'modelplane artifact download predictions --out - | head -c 100'],
  validate(_args, o) {
    if (o.out === undefined || o.out === '') throw new UsageError("missing required option '--out <file>' (use --out - for stdout).");
  },
  async run(ctx, { name, version }, o) {
    const n = parseArtifactVersionArg(version, ['artifact', 'download']);
    const out = o.out!;
    const toStdout = out === '-';
    const fs = await import('node:fs');
    const path = await import('node:path');
    if (!toStdout) {
      const existing = fs.statSync(out, { throwIfNoEntry: false });
      if (existing?.isDirectory()) throw new CliError(`${out} is a directory: give the path of the file to write, e.g. --out ${path.join(out, name)}.`);
      if (existing && !o.force) throw new CliError(`${out} already exists: pass --force to overwrite it.`);
      const folder = path.dirname(path.resolve(out));
      if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`cannot write ${out}: the folder ${folder} does not exist.`);
    }
    const client = await ctx.client();
    const av = await client.getArtifactVersion(name, n);
    const reader = await (await client.backend()).openBlobReader(av.contentHash);
    const { createHash } = await import('node:crypto');
    const { Transform } = await import('node:stream');
    const { pipeline } = await import('node:stream/promises');
    const hash = createHash('sha256');
    const bar = ctx.stderrIsTTY && reader.size > PROGRESS_MIN_BYTES ? await progressBar(ctx, `${av.name} v${av.version}`, reader.size) : null;
    let done = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        done += chunk.length;
        bar?.update(done);
        callback(null, chunk);
      },
    });
    // A file is written under a temporary name and renamed when complete and verified.
    const temp = toStdout ? null : path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.partial`);
    try {
      if (temp === null) await pipeline(reader.stream(), meter, ctx.io.stdout, { end: false });
      else await pipeline(reader.stream(), meter, fs.createWriteStream(temp, { flags: 'wx' }));
      const digest = hash.digest('hex');
      if (digest !== av.contentHash) {
        throw new CliError(`the bytes read (sha256 ${digest}) do not match the artifact's hash ${av.contentHash}: the artifact store may be damaged.`);
      }
      if (temp !== null) fs.renameSync(temp, out);
    } catch (error) {
      if (temp !== null) fs.rmSync(temp, { force: true });
      throw error;
    } finally {
      bar?.stop();
    }
    if (!toStdout) ctx.out(`Downloaded ${av.name} v${av.version} (${formatBytes(done)}, ${av.type}, ${av.dataType}) to ${out}.`);
  },
});
