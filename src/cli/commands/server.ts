import { defineCommand, opt, UsageError } from '../command.js';
import { listenOptions, serve } from '../serve.js';

/**
 * `modelplane server --database URL --artifact-store URI`: the shared registry of a team. Auth is always
 * on: on first start with a database, an admin key is created and printed once (or `MODELPLANE_ADMIN_KEY`
 * is used). S3 credentials come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (else the AWS SDK's
 * default chain: profile, instance role …).
 */
export const command = defineCommand({
  path: ['server'],
  summary: 'run the modelplane server (REST API) on a database and an artifact store',
  description:
    'Runs the REST API of a shared registry: metadata in SQLite or PostgreSQL, artifact bytes on a local folder or S3-compatible storage. ' +
    'Every request but /api/v1/health needs an API key. On the first start with a database, an admin key is created and printed once ' +
    '(set MODELPLANE_ADMIN_KEY to use a key of your own). S3 credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the AWS default chain). ' +
    'SIGINT / SIGTERM stop it gracefully: in-flight requests finish, then it exits 0.',
  args: [],
  options: {
    database: opt.string('--database <url>', 'metadata database: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB'),
    artifactStore: opt.string('--artifact-store <uri>', 'artifact bytes: file://PATH (or a folder) or s3://BUCKET/PREFIX'),
    s3Endpoint: opt.string('--s3-endpoint <url>', 'S3-compatible endpoint (MinIO, R2 …); default AWS'),
    s3Region: opt.string('--s3-region <region>', 'S3 region (default: AWS_REGION, else us-east-1)'),
    s3PathStyle: opt.flag('--s3-path-style', 'path-style S3 URLs (http://host/bucket/key), as MinIO and most S3-compatible stores need'),
    ...listenOptions,
  },
  examples: [
    'modelplane server --database sqlite:///srv/modelplane/registry.db --artifact-store file:///srv/modelplane/artifacts',
    'modelplane server --database postgres://modelplane@db:5432/modelplane --artifact-store s3://ml-registry/artifacts --host 0.0.0.0',
    'modelplane server --database postgres://modelplane@db/modelplane --artifact-store s3://models/prod --s3-endpoint http://minio:9000 --s3-path-style',
  ],
  validate(_args, o) {
    if (!o.database) throw new UsageError("missing required option '--database <url>' (sqlite://PATH or postgres://…).");
    if (!o.artifactStore) throw new UsageError("missing required option '--artifact-store <uri>' (file://PATH or s3://BUCKET/PREFIX).");
    if (!o.artifactStore.startsWith('s3://') && (o.s3Endpoint !== undefined || o.s3Region !== undefined || o.s3PathStyle)) {
      throw new UsageError('--s3-endpoint, --s3-region and --s3-path-style apply to an s3:// artifact store.');
    }
    if (o.s3Endpoint !== undefined && !/^https?:\/\/[^\s]+$/i.test(o.s3Endpoint)) {
      throw new UsageError(`option '--s3-endpoint' argument '${o.s3Endpoint}' is invalid: expected an http(s) URL.`);
    }
  },
  async run(ctx, _args, o) {
    const env = ctx.env;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    const region = o.s3Region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
    const isS3 = o.artifactStore!.startsWith('s3://');
    const s3 = isS3
      ? {
          ...(o.s3Endpoint !== undefined ? { endpoint: o.s3Endpoint } : {}),
          ...(region !== undefined ? { region } : {}),
          ...(o.s3PathStyle ? { forcePathStyle: true } : {}),
          ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
        }
      : undefined;
    const adminKey = env.MODELPLANE_ADMIN_KEY || undefined;
    await serve(
      ctx,
      {
        database: o.database!,
        artifactStore: o.artifactStore!,
        ...(s3 ? { s3 } : {}),
        host: o.host,
        port: o.port,
        auth: true,
        ...(adminKey ? { adminKey } : {}),
      },
      { what: 'server' },
    );
  },
});
