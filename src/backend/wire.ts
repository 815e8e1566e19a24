/**
 * The JSON wire format shared by the REST server (`src/server`) and the HTTP backend: how names travel
 * in URL path segments, how metadata travels in request bodies, and how entities read from JSON get
 * their `Date`s back so that they deep-equal what the embedded backend returns.
 */
import type { ArtifactVersion, Model, ModelVersion, PipelineRun, RunMetadata, StageHolding, StageTransition, StepRun, VersionRef } from '../domain/entities.js';
import { ValidationError } from '../domain/errors.js';
import { encodeMetadata } from '../domain/metadata-value.js';

/** Version of the REST API; every route lives under `/api/v1`. */
export const API_PREFIX = '/api/v1';

/** Request header carrying the sha256 hex of an uploaded blob (verified by the server when present). */
export const CONTENT_SHA256_HEADER = 'x-content-sha256';

/** Request header naming the actor of a write when the server runs without authentication. */
export const ACTOR_HEADER = 'x-modelplane-actor';

/**
 * Encodes a name, id or selector as one URL path segment. URL parsers collapse `.` and `..` (also
 * percent-encoded) as dot segments, so such values — and, to stay reversible, any value starting with
 * `~` or the empty string — are sent with one leading `~`, which {@link decodeSegment} removes.
 */
export function encodeSegment(value: string | number): string {
  const s = String(value);
  return encodeURIComponent(s === '' || s === '.' || s === '..' || s.startsWith('~') ? `~${s}` : s);
}

/** Reverses {@link encodeSegment} on an already percent-decoded path parameter. */
export function decodeSegment(value: string): string {
  return value.startsWith('~') ? value.slice(1) : value;
}

/** Metadata as sent over the wire: plain JSON values plus the keys whose value is an ISO datetime. */
export interface WireMetadata {
  metadata: Record<string, unknown>;
  /** Top-level keys whose (string) value is a datetime, i.e. a `Date` on the caller's side. */
  datetimes?: string[];
}

/** Validates metadata exactly as the embedded backend does and turns it into its wire form. */
export function metadataToWire(metadata: unknown): WireMetadata {
  const entries = encodeMetadata(metadata);
  const datetimes = entries.filter(([, e]) => e.type === 'datetime').map(([k]) => k);
  return {
    metadata: Object.fromEntries(entries.map(([k, e]) => [k, JSON.parse(e.json) as unknown])),
    ...(datetimes.length > 0 ? { datetimes } : {}),
  };
}

/** Rebuilds caller-side metadata from its wire form (datetime keys become `Date`s). */
export function metadataFromWire(wire: WireMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = { ...wire.metadata };
  for (const key of wire.datetimes ?? []) {
    if (!Object.hasOwn(out, key)) throw new ValidationError(`"datetimes" names the key ${JSON.stringify(key)}, which is not in "metadata".`);
    const value = out[key];
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new ValidationError(`Metadata "${key}" is listed in "datetimes" but is not an ISO date string.`);
    out[key] = date;
  }
  return out;
}

// ── reviving entities read from JSON ─────────────────────────────────────────────────────────────

type Json = Record<string, unknown>;

function date(value: unknown): Date {
  return new Date(value as string);
}

function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(value as string);
}

/** `createdAt` of every entry, and datetime values, back to `Date`s. */
export function reviveRunMetadata(value: unknown): RunMetadata {
  const out: RunMetadata = {};
  for (const [key, entry] of Object.entries((value ?? {}) as Record<string, Json>)) {
    out[key] = {
      ...entry,
      type: entry.type as RunMetadata[string]['type'],
      value: entry.type === 'datetime' && typeof entry.value === 'string' ? new Date(entry.value) : entry.value,
      createdAt: date(entry.createdAt),
    };
  }
  return out;
}

function versionRefOrNull(value: unknown): VersionRef | null {
  if (value === null || value === undefined || typeof value !== 'object') return null;
  const v = value as Json;
  return { id: String(v.id), number: Number(v.number), name: String(v.name) };
}

/** A model read from JSON: dates back to `Date`s; stage holders null when a server older than them sends none. */
export function reviveModel(json: unknown): Model {
  const m = json as Json;
  return {
    ...(m as unknown as Model),
    createdAt: date(m.createdAt),
    updatedAt: date(m.updatedAt),
    productionVersion: versionRefOrNull(m.productionVersion),
    stagingVersion: versionRefOrNull(m.stagingVersion),
  };
}

export function reviveModelVersion(json: unknown): ModelVersion {
  const v = json as Json;
  return { ...(v as unknown as ModelVersion), createdAt: date(v.createdAt), updatedAt: date(v.updatedAt), runMetadata: reviveRunMetadata(v.runMetadata) };
}

export function reviveStageTransition(json: unknown): StageTransition {
  const t = json as Json;
  return { ...(t as unknown as StageTransition), createdAt: date(t.createdAt) };
}

export function reviveStageHolding(json: unknown): StageHolding {
  const h = json as Json;
  const holder = (x: unknown) => {
    const o = x as Json;
    return { ...(o as unknown as StageHolding['holders'][number]), since: date(o.since) };
  };
  return {
    ...(h as unknown as StageHolding),
    at: date(h.at),
    holder: h.holder === null || h.holder === undefined ? null : holder(h.holder),
    holders: ((h.holders ?? []) as unknown[]).map(holder),
  };
}

export function reviveArtifactVersion(json: unknown): ArtifactVersion {
  const a = json as Json;
  return { ...(a as unknown as ArtifactVersion), createdAt: date(a.createdAt), runMetadata: reviveRunMetadata(a.runMetadata) };
}

export function revivePipelineRun(json: unknown): PipelineRun {
  const r = json as Json;
  return { ...(r as unknown as PipelineRun), startedAt: date(r.startedAt), endedAt: dateOrNull(r.endedAt), runMetadata: reviveRunMetadata(r.runMetadata) };
}

export function reviveStepRun(json: unknown): StepRun {
  const r = json as Json;
  return { ...(r as unknown as StepRun), startedAt: date(r.startedAt), endedAt: dateOrNull(r.endedAt), runMetadata: reviveRunMetadata(r.runMetadata) };
}
