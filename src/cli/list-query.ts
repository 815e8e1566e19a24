/**
 * `--filter`, `--sort`, `--page` and `--size` for listings the SDK cannot filter or sort itself
 * (artifact versions, runs, stage history): every row is fetched, then filtered and sorted here with
 * the same filter syntax (`parseFilter` of src/domain/filter.ts) and the same semantics as the store
 * (`=` exact, `~` case-insensitive contains, comparisons on numbers and dates, tags match any tag).
 */
import { parseFilter, parseSort, type FilterClause, type FilterFieldSpec, type SortSpec } from '../domain/filter.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './common.js';
import type { PageOf } from './output/format.js';

type FieldValue = string | number | Date | boolean | null | undefined | readonly string[];

/** A field rows can be filtered and sorted on. */
export interface LocalField<T> {
  spec: FilterFieldSpec;
  get: (item: T) => FieldValue;
  /** Whether `--sort` accepts it (default true; tags are never sortable). */
  sortable?: boolean;
}

/** The listing options as the commands receive them. */
export interface ListQuery {
  filter?: string | undefined;
  sort?: string | undefined;
  page?: number | undefined;
  size?: number | undefined;
}

/** True when the listing needs local filtering or sorting (otherwise the SDK pages directly). */
export function needsLocal(q: ListQuery): boolean {
  return (q.filter !== undefined && q.filter.trim() !== '') || (q.sort !== undefined && q.sort.trim() !== '');
}

/** Fetches every row of a paged SDK listing. */
export async function fetchAll<T>(fetchPage: (page: number, size: number) => Promise<PageOf<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const p = await fetchPage(page, MAX_PAGE_SIZE);
    items.push(...p.items);
    if (p.items.length < MAX_PAGE_SIZE || items.length >= p.total) return items;
  }
}

function comparable(v: FieldValue): string | number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return null;
}

function matches<T>(item: T, clause: FilterClause, field: LocalField<T>): boolean {
  const raw = field.get(item);
  if (field.spec.type === 'tag') {
    const tags = Array.isArray(raw) ? (raw as readonly string[]) : [];
    const wanted = String(clause.value);
    if (clause.op === '~') return tags.some((t) => t.toLowerCase().includes(wanted.toLowerCase()));
    const has = tags.includes(wanted);
    return clause.op === '!=' ? !has : has;
  }
  const left = comparable(raw);
  if (left === null) return false;
  if (clause.op === '~') return String(raw).toLowerCase().includes(String(clause.value).toLowerCase());
  const right = clause.value instanceof Date ? clause.value.getTime() : clause.value;
  switch (clause.op) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
  }
}

function compareBy<T>(field: LocalField<T>, direction: SortSpec['direction']): (a: T, b: T) => number {
  const sign = direction === 'desc' ? -1 : 1;
  return (a, b) => {
    const x = comparable(field.get(a));
    const y = comparable(field.get(b));
    if (x === y) return 0;
    if (x === null) return 1; // missing values last, either direction
    if (y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  };
}

/** Filters, sorts and pages `items` locally; `fallback` is the order without `--sort` (null: as given). */
export function localPage<T>(items: readonly T[], fields: Record<string, LocalField<T>>, q: ListQuery, fallback: SortSpec | null): PageOf<T> {
  const specs = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.spec]));
  const clauses = parseFilter(q.filter, specs);
  let rows = items.filter((item) => clauses.every((c) => matches(item, c, fields[c.field]!)));
  const sortable = Object.entries(fields)
    .filter(([, f]) => f.sortable !== false && f.spec.type !== 'tag')
    .map(([k]) => k);
  const sort = q.sort === undefined || q.sort.trim() === '' ? fallback : parseSort(q.sort, sortable, fallback ?? { field: sortable[0]!, direction: 'asc' });
  if (sort) rows = [...rows].sort(compareBy(fields[sort.field]!, sort.direction));
  const page = q.page ?? 1;
  const size = q.size ?? DEFAULT_PAGE_SIZE;
  return { items: rows.slice((page - 1) * size, page * size), total: rows.length, page, size };
}

/** Field specs for artifact versions. */
export function artifactFields<A extends { name: string; version: number; type: string; tags: string[]; size: number; materializer: string; dataType: string; createdAt: Date }>(): Record<string, LocalField<A>> {
  return {
    name: { spec: { type: 'string' }, get: (a) => a.name },
    version: { spec: { type: 'number' }, get: (a) => a.version },
    type: { spec: { type: 'enum', values: ['data', 'model', 'deployment', 'statistics', 'schema', 'analysis'] }, get: (a) => a.type },
    tag: { spec: { type: 'tag' }, get: (a) => a.tags },
    size: { spec: { type: 'number' }, get: (a) => a.size },
    materializer: { spec: { type: 'string' }, get: (a) => a.materializer },
    dataType: { spec: { type: 'string' }, get: (a) => a.dataType },
    createdAt: { spec: { type: 'date' }, get: (a) => new Date(a.createdAt) },
  };
}

/** Field specs for pipeline runs. */
export function runFields<R extends { name: string; pipelineName: string; status: string; startedAt: Date; endedAt: Date | null }>(): Record<string, LocalField<R>> {
  return {
    pipeline: { spec: { type: 'string' }, get: (r) => r.pipelineName },
    name: { spec: { type: 'string' }, get: (r) => r.name },
    status: { spec: { type: 'enum', values: ['initializing', 'running', 'completed', 'failed', 'cached', 'skipped'] }, get: (r) => r.status },
    startedAt: { spec: { type: 'date' }, get: (r) => new Date(r.startedAt) },
    endedAt: { spec: { type: 'date' }, get: (r) => (r.endedAt === null ? null : new Date(r.endedAt)) },
  };
}

/** Field specs for stage transitions. */
export function transitionFields<S extends { versionNumber: number; versionName: string; fromStage: string; toStage: string; displacedVersionNumber: number | null; actor: string; reason: string | null; createdAt: Date }>(): Record<string, LocalField<S>> {
  const stages = ['none', 'staging', 'production', 'archived'];
  return {
    version: { spec: { type: 'number' }, get: (s) => s.versionNumber },
    name: { spec: { type: 'string' }, get: (s) => s.versionName },
    from: { spec: { type: 'enum', values: stages }, get: (s) => s.fromStage },
    to: { spec: { type: 'enum', values: stages }, get: (s) => s.toStage },
    displaced: { spec: { type: 'number' }, get: (s) => s.displacedVersionNumber },
    actor: { spec: { type: 'string' }, get: (s) => s.actor },
    reason: { spec: { type: 'string' }, get: (s) => s.reason },
    createdAt: { spec: { type: 'date' }, get: (s) => new Date(s.createdAt) },
  };
}
