import type { ArtifactType } from './artifact-type.js';
import { ValidationError } from './errors.js';
import type { Stage } from './stages.js';

/**
 * Read models the dashboard needs beyond plain entities: metadata paths of a model's versions, metric
 * series across versions, and the lineage graph of a version. Pure types and parsing, no I/O.
 */

/** The JSON type of a metadata value (or nested value) as the dashboard shows it. */
export type MetadataValueKind = 'number' | 'string' | 'boolean' | 'object' | 'array' | 'null';

/** One metadata path of a model's versions: a top-level key or a dotted path to a nested value. */
export interface MetadataKeyInfo {
  /** `evaluation_metrics` or `evaluation_metrics.accuracy`. */
  key: string;
  /** The most common JSON type at this path (ties: the first of number, string, boolean, object, array, null). */
  type: MetadataValueKind;
  /** How many versions have a current value at this path. */
  count: number;
}

/** One version's numeric value at a metadata path. */
export interface MetricPoint {
  versionId: string;
  number: number;
  name: string;
  stage: Stage;
  value: number;
  createdAt: Date;
}

/** The numeric values of one metadata path across a model's versions, by version number. */
export interface MetricSeries {
  key: string;
  points: MetricPoint[];
}

/** A node of a lineage graph. Ids are `artifact:<id>`, `step:<id>`, `run:<id>` or `version:<id>`. */
export interface LineageNode {
  id: string;
  kind: 'artifact' | 'step' | 'run' | 'model_version';
  label: string;
  status?: string;
  artifactType?: 'model' | 'data' | 'deployment';
  /** The raw id of the artifact version, step run, pipeline run or model version. */
  refId: string;
}

/** A directed edge of a lineage graph (data flows from `source` to `target`). */
export interface LineageEdge {
  source: string;
  target: string;
  label?: string;
}

/** The lineage of a model version: producing and consuming runs, their steps and artifacts. */
export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the graph was cut at its node limit. */
  truncated: boolean;
}

/** Deepest dotted path reported by the metadata keys of a model (a top-level key is depth 1). */
export const MAX_METADATA_PATH_DEPTH = 4;

/** Most segments a metadata path may have (PostgreSQL functions take at most 100 arguments). */
export const MAX_METADATA_PATH_SEGMENTS = 32;

/** Largest number of points of one metric series. */
export const MAX_METRIC_POINTS = 100_000;

/** A metadata path split into the metadata key and the path inside its (object) value. */
export interface MetadataPath {
  key: string;
  path: string[];
}

/**
 * Splits a dotted metadata path (`evaluation_metrics.accuracy`) into its segments; `ValidationError`
 * for empty segments or characters that no JSON path of both dialects can carry (`"` and `\`).
 */
export function parseMetadataPathSegments(text: string): string[] {
  if (typeof text !== 'string' || text.trim() === '') throw new ValidationError('A metadata key is needed, e.g. evaluation_metrics.accuracy.');
  if (text.length > 1000) throw new ValidationError('A metadata path is at most 1000 characters long.');
  // No database stores a NUL in text; PostgreSQL would refuse the parameter outright.
  if (text.includes('\u0000')) throw new ValidationError('A metadata path must not contain NUL characters.');
  const segments = text.split('.');
  if (segments.some((s) => s === '')) throw new ValidationError(`The metadata path ${JSON.stringify(text.slice(0, 100))} has an empty segment: write key or key.nested.field.`);
  if (segments.length > MAX_METADATA_PATH_SEGMENTS) throw new ValidationError(`A metadata path has at most ${MAX_METADATA_PATH_SEGMENTS} segments.`);
  // The first segment is the stored key (bound as a parameter); later ones go into a JSON path.
  if (segments.slice(1).some((s) => /["\\]/.test(s))) {
    throw new ValidationError(`The metadata path ${JSON.stringify(text.slice(0, 100))} has a nested segment with " or \\, which cannot be addressed.`);
  }
  return segments;
}

/** A `sortBy` of model versions by a metadata value. */
export interface MetadataSortSpec {
  field: 'metadata';
  /** Dotted path: the metadata key, then fields of its object value. */
  segments: string[];
  direction: 'asc' | 'desc';
}

/**
 * Reads `metadata.KEY`, `-metadata.KEY`, `+metadata.KEY`, `asc:metadata.KEY` or `desc:metadata.KEY`;
 * returns null for any other sort (which the listing's own sort parser handles).
 * @example parseMetadataSort('-metadata.evaluation_metrics.accuracy') // { field: 'metadata', segments: ['evaluation_metrics', 'accuracy'], direction: 'desc' }
 */
export function parseMetadataSort(text: string | undefined): MetadataSortSpec | null {
  if (text === undefined) return null;
  const m = /^\s*(?:([-+])|(asc|desc):)?metadata\.(.*?)\s*$/i.exec(text);
  if (!m) return null;
  const direction = m[1] === '-' || m[2]?.toLowerCase() === 'desc' ? 'desc' : 'asc';
  return { field: 'metadata', segments: parseMetadataPathSegments(m[3]!), direction };
}

/** Maps an artifact type to the three groups a model version shows (DESIGN.md §1). */
export function artifactGroup(type: ArtifactType): 'model' | 'data' | 'deployment' {
  return type === 'model' || type === 'deployment' ? type : 'data';
}
