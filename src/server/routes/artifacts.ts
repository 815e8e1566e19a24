import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { BlobReader } from '../../artifacts/artifact-store.js';
import { NOT_IMAGES, SNIFF_BYTES, detectImageType, readBlobHead } from '../../artifacts/media-type.js';
import { CONTENT_SHA256_HEADER, decodeSegment, metadataFromWire } from '../../backend/wire.js';
import type { ArtifactType } from '../../domain/artifact-type.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { noContent, requireAction, send, type ServerApp, type ServerEnv } from '../context.js';
import {
  ArtifactGetQuery,
  ArtifactIdParam,
  ArtifactParam,
  ArtifactVersionPage,
  ArtifactVersionSchema,
  BlobInfoSchema,
  CreateArtifactVersionBody,
  HashParam,
  ListArtifactVersionsQuery,
} from '../schemas/artifacts.js';
import { ErrorSchema, PageQuery, errors, jsonBody, jsonResponse, segment } from '../schemas/common.js';

const tags = ['artifact_versions'];

/** The domain validates artifact types (with a message that lists them); the wire accepts strings. */
function listQuery<T extends { type?: string | string[] | undefined }>(q: T): Omit<T, 'type'> & { type?: ArtifactType | ArtifactType[] } {
  const { type, ...rest } = q;
  return { ...rest, ...(type === undefined ? {} : { type: type as ArtifactType | ArtifactType[] }) };
}
const HASH = /^[0-9a-f]{64}$/;

/**
 * Opens a blob for download or preview. The store's own not-found message names its location (a server path or
 * bucket); the client gets one without it.
 */
export async function openBlob(c: Context<ServerEnv>, contentHash: string): Promise<BlobReader> {
  try {
    return await c.get('backend').openBlobReader(contentHash);
  } catch (err) {
    if (err instanceof NotFoundError) {
      const shown = contentHash.slice(0, 100);
      throw new NotFoundError(`Blob ${JSON.stringify(shown)} not found: no stored bytes have this sha256.`, { contentHash: shown });
    }
    throw err;
  }
}

function streamBlob(c: Context<ServerEnv>, reader: { contentHash: string; size: number; stream(): Readable }, contentType = 'application/octet-stream'): never {
  const headers: Record<string, string> = {
    'content-type': contentType,
    // The browser must not guess another type, nor run an SVG's scripts if someone opens it directly.
    'x-content-type-options': 'nosniff',
    ...(contentType === 'image/svg+xml' ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox" } : {}),
    'content-length': String(reader.size),
    [CONTENT_SHA256_HEADER]: reader.contentHash,
    'x-blob-size': String(reader.size),
  };
  if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers }) as never;
  const body = Readable.toWeb(reader.stream()) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers }) as never;
}

export function registerArtifactRoutes(app: ServerApp): void {
  // ── raw bytes ──────────────────────────────────────────────────────────────────────────────
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/blobs',
    tags,
    summary: 'Upload the bytes of a value (streamed); then record it with POST /artifact_versions naming its contentHash',
    request: {
      headers: z.object({ [CONTENT_SHA256_HEADER]: z.string().optional().openapi({ description: 'sha256 hex of the body; verified when given' }) }),
      body: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
    },
    responses: { 201: jsonResponse(BlobInfoSchema, 'The stored blob'), ...errors() },
  });
  app.post('/blobs', async (c) => {
    requireAction(c, 'write');
    const expected = c.req.header(CONTENT_SHA256_HEADER);
    if (expected !== undefined && !HASH.test(expected.toLowerCase())) {
      throw new ValidationError(`The ${CONTENT_SHA256_HEADER} header must be 64 hex characters (a sha256).`);
    }
    const writer = await c.get('backend').openBlobWriter();
    try {
      const body = c.req.raw.body;
      if (body) {
        for await (const chunk of body as unknown as NodeWebReadableStream<Uint8Array>) await writer.write(chunk);
      }
      return c.json(await writer.commit(expected?.toLowerCase()), 201);
    } catch (err) {
      await writer.abort().catch(() => undefined);
      throw err;
    }
  });

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/blobs/{hash}',
    tags,
    summary: 'Download stored bytes by content hash (streamed; HEAD gives the size)',
    request: { params: HashParam },
    responses: { 200: { description: 'The bytes', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, 404: jsonResponse(ErrorSchema, 'No such blob') },
  });
  app.get('/blobs/:hash', async (c) => {
    requireAction(c, 'read');
    return streamBlob(c, await openBlob(c, c.req.param('hash')));
  });

  // ── artifact versions ────────────────────────────────────────────────────────────────────
  app.openapi(
    createRoute({
      method: 'get',
      path: '/artifact_versions',
      tags,
      summary: 'List artifact versions (newest first within a name)',
      request: { query: ListArtifactVersionsQuery },
      responses: { 200: jsonResponse(ArtifactVersionPage, 'One page of artifact versions'), ...errors() },
    }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').listArtifactVersions(listQuery(c.req.valid('query'))));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/artifact_versions',
      tags,
      summary: 'Record a value whose bytes were uploaded with POST /blobs',
      request: jsonBody(CreateArtifactVersionBody),
      responses: { 201: jsonResponse(ArtifactVersionSchema, 'The new artifact version'), ...errors(404, 409) },
    }),
    async (c) => {
      requireAction(c, 'write');
      const { metadata, datetimes, type, ...rest } = c.req.valid('json');
      const input = {
        ...rest,
        ...(type === undefined ? {} : { type: type as ArtifactType }),
        ...(metadata === undefined ? {} : { metadata: metadataFromWire({ metadata, ...(datetimes ? { datetimes } : {}) }) }),
      };
      return send(c, await c.get('backend').createArtifactVersion(input), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/artifact_versions/{artifact}',
      tags,
      summary: 'Get an artifact version by id, or by name (and ?version=, absent → highest)',
      request: { params: ArtifactParam, query: ArtifactGetQuery },
      responses: { 200: jsonResponse(ArtifactVersionSchema, 'The artifact version'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const { version } = c.req.valid('query');
      return send(c, await c.get('backend').getArtifactVersion(decodeSegment(c.req.valid('param').artifact), version));
    },
  );
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/artifact_versions/{id}/content',
    tags,
    summary: 'Download the bytes of an artifact version (streamed; images detected by their bytes are sent with their image Content-Type)',
    request: { params: ArtifactIdParam },
    responses: { 200: { description: 'The bytes', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errors(404) },
  });
  app.get('/artifact_versions/:id/content', async (c) => {
    requireAction(c, 'read');
    const backend = c.get('backend');
    const av = await backend.getArtifactVersion(decodeSegment(c.req.param('id')));
    const reader = await openBlob(c, av.contentHash);
    // Images are sent as such so that the dashboard can show them; everything else stays opaque bytes.
    const image = NOT_IMAGES.has(av.materializer) ? null : detectImageType(await readBlobHead(reader, SNIFF_BYTES));
    return streamBlob(c, reader, image ?? 'application/octet-stream');
  });

  // ── links to model versions ──────────────────────────────────────────────────────────────
  const LinkParams = z.object({ id: segment('id', 'Model version id'), artifactVersionId: segment('artifactVersionId', 'Artifact version id') });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/model_versions/{id}/artifacts',
      tags: ['model_versions'],
      summary: 'Artifact versions linked to a model version',
      request: { params: ArtifactIdParam, query: PageQuery.extend({ type: z.union([z.string(), z.array(z.string())]).optional() }) },
      responses: { 200: jsonResponse(ArtifactVersionPage, 'One page of artifact versions'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const backend = c.get('backend');
      const mv = await backend.getModelVersionById(decodeSegment(c.req.valid('param').id));
      const q = c.req.valid('query');
      return send(c, await backend.listArtifactVersions({ ...listQuery(q), modelVersionId: mv.id }));
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/model_versions/{id}/artifacts/{artifactVersionId}',
      tags: ['model_versions'],
      summary: 'Link an artifact version to a model version (idempotent)',
      request: { params: LinkParams },
      responses: { 204: { description: 'Linked' }, ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'write');
      const { id, artifactVersionId } = c.req.valid('param');
      await c.get('backend').linkArtifactVersion(decodeSegment(id), decodeSegment(artifactVersionId));
      return noContent(c);
    },
  );
}
