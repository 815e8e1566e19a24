import { createRoute } from '@hono/zod-openapi';
import type { BlobReader } from '../../artifacts/artifact-store.js';
import { NOT_IMAGES, SNIFF_BYTES, decodeUtf8Prefix, detectImageType, readBlobHead, type ImageMediaType } from '../../artifacts/media-type.js';
import { readValue } from '../../artifacts/value-codec.js';
import { decodeSegment } from '../../backend/wire.js';
import type { ArtifactVersion } from '../../domain/entities.js';
import { requireAction, send, type ServerApp } from '../context.js';
import { ArtifactIdParam } from '../schemas/artifacts.js';
import { openBlob } from './artifacts.js';
import { errors, jsonResponse } from '../schemas/common.js';
import { PreviewSchema } from '../schemas/preview.js';

/** What `GET /artifact_versions/{id}/preview` answers. */
export type ArtifactPreview =
  | { kind: 'json'; value: unknown; truncated: boolean }
  | { kind: 'table'; columns: string[]; rows: unknown[][]; totalRows: number }
  | { kind: 'image'; mediaType: ImageMediaType }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'binary'; size: number; dataType: string; materializer: string };

/** JSON values up to this size are sent whole; larger ones as the start of their text. */
const MAX_JSON_BYTES = 256 * 1024;
/** Text previews show this much. */
const MAX_TEXT_BYTES = 64 * 1024;
/** Tables are loaded whole to read their first rows; beyond this size they are described, not loaded. */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;
const TABLE_ROWS = 20;

/** A table cell as JSON: bigints as numbers (or strings beyond 2^53), dates as ISO text, nested Arrow values as plain data. */
function jsonCell(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return String(value);
  }
  if (depth > 4) return '…';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => jsonCell(v, depth + 1));
  // Arrow rows, vectors and maps offer toJSON(); typed arrays become arrays.
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonCell(toJSON.call(value), depth + 1);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>).slice(0, 100).map((v) => jsonCell(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonCell(v, depth + 1)]));
}

interface ArrowLikeTable {
  numRows: number;
  schema: { fields: Array<{ name: string }> };
  slice(begin: number, end: number): { toArray(): Array<Record<string, unknown> | null> };
}

function tablePreview(value: unknown): ArtifactPreview | null {
  if (Array.isArray(value)) {
    const first = value[0] as Record<string, unknown> | undefined;
    const columns = first ? Object.keys(first) : [];
    const rows = value.slice(0, TABLE_ROWS).map((row: Record<string, unknown>) => columns.map((c) => jsonCell(row[c])));
    return { kind: 'table', columns, rows, totalRows: value.length };
  }
  const t = value as ArrowLikeTable;
  if (typeof t?.numRows !== 'number' || typeof t.slice !== 'function') return null;
  const columns = t.schema.fields.map((f) => f.name);
  const rows = t
    .slice(0, TABLE_ROWS)
    .toArray()
    .map((row) => columns.map((c) => jsonCell(row?.[c])));
  return { kind: 'table', columns, rows, totalRows: t.numRows };
}

async function textPreview(reader: BlobReader): Promise<ArtifactPreview | null> {
  const head = await readBlobHead(reader, MAX_TEXT_BYTES);
  const text = decodeUtf8Prefix(head);
  return text === null ? null : { kind: 'text', text, truncated: reader.size > head.length };
}

/**
 * The stored value, or undefined when its bytes do not load (damaged or foreign data): a preview
 * then describes the bytes instead of failing (a JSON SyntaxError would otherwise read as a bad request).
 */
async function loadOrUndefined(reader: BlobReader, av: ArtifactVersion): Promise<unknown> {
  try {
    return await readValue(reader, av.materializer, av.dataType);
  } catch {
    return undefined;
  }
}

/** Builds the preview of one artifact version from its stored bytes. */
export async function previewArtifact(av: ArtifactVersion, reader: BlobReader): Promise<ArtifactPreview> {
  const binary: ArtifactPreview = { kind: 'binary', size: av.size, dataType: av.dataType, materializer: av.materializer };
  if (av.materializer === 'json') {
    if (reader.size <= MAX_JSON_BYTES) {
      const value = await loadOrUndefined(reader, av);
      if (value !== undefined) return { kind: 'json', value, truncated: false };
    }
    return (await textPreview(reader)) ?? binary;
  }
  if (av.materializer === 'table') {
    if (reader.size > MAX_TABLE_BYTES) return binary;
    return tablePreview(await loadOrUndefined(reader, av)) ?? binary;
  }
  if (!NOT_IMAGES.has(av.materializer)) {
    const mediaType = detectImageType(await readBlobHead(reader, SNIFF_BYTES));
    if (mediaType) return { kind: 'image', mediaType };
  }
  // Raw bytes that are UTF-8 are most likely text (CSV, logs, YAML); other materializers' bytes are not meant to be read.
  if (av.materializer === 'bytes') return (await textPreview(reader)) ?? binary;
  return binary;
}

/** Registers `GET /artifact_versions/{id}/preview`. */
export function registerPreviewRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/artifact_versions/{id}/preview',
      tags: ['artifact_versions'],
      summary: 'What the dashboard can show of a value: JSON, the first 20 rows of a table, an image type, text, or a description of binary data',
      request: { params: ArtifactIdParam },
      responses: { 200: jsonResponse(PreviewSchema, 'The preview'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const backend = c.get('backend');
      const av = await backend.getArtifactVersion(decodeSegment(c.req.valid('param').id));
      return send(c, await previewArtifact(av, await openBlob(c, av.contentHash)));
    },
  );
}
