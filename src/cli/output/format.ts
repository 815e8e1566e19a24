/**
 * Turning SDK objects into text: tables (cli-table3, loaded on first use), JSON, YAML (loaded on first
 * use) and CSV for listings and describes, plus the small value formatters every command shares.
 *
 * JSON is the SDK objects as they are (`JSON.stringify`, so dates are ISO strings); YAML is the same
 * data; CSV flattens nested fields to dotted columns (`runMetadata.evaluation_metrics.accuracy`).
 */
import type { CliContext } from '../context.js';
import { stripAnsi, type Style } from './style.js';

/** The formats of `--output`. */
export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One page of a listing (the SDK's `Page<T>`). */
export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

// ── value formatters ───────────────────────────────────────────────────────────────────────

/** `2026-12-04T17:05:38Z` (seconds precision), or `-` for none. */
export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `512 B`, `12.3 KB`, `4.0 MB` (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** `850ms`, `12.3s`, `4m05s`, `2h03m`. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Duration between two dates (`-` while unfinished). */
export function durationBetween(start: Date, end: Date | null): string {
  return end === null ? '-' : formatDuration(new Date(end).getTime() - new Date(start).getTime());
}

/** Cuts `text` to `width` characters with an ellipsis; newlines become spaces. */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(1, width - 1))}…`;
}

/** A tag list for a table cell. */
export function formatTags(tags: readonly string[]): string {
  return tags.length === 0 ? '-' : tags.join(', ');
}

/** One scalar (or small value) as text: strings raw, dates ISO, the rest as JSON. */
export function formatScalar(value: unknown): string {
  if (value === undefined) return '-';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

/** Plain JSON data (dates as ISO strings), as `JSON.stringify` would produce. */
export function toPlain<T>(value: T): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isMetadataEntry(value: unknown): value is { value: unknown; type: string; createdAt: unknown } {
  return isPlainObject(value) && 'value' in value && 'type' in value && 'createdAt' in value;
}

/**
 * Flattens a value to `[dotted.key, text]` pairs: nested objects become dotted keys (empty ones
 * vanish), metadata entries (`{ value, type, createdAt }`) contribute their value, string arrays are
 * joined with `;`, other arrays are JSON, dates are full ISO strings.
 */
export function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  if (isMetadataEntry(value)) return flatten(value.value, prefix);
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return []; // no column for an empty object (e.g. no metadata)
    return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(value)) {
    const text = value.every((v) => typeof v === 'string') ? value.join(';') : JSON.stringify(value);
    return [[prefix, text]];
  }
  if (value === null || value === undefined) return [[prefix, '']];
  if (value instanceof Date) return [[prefix, value.toISOString()]];
  return [[prefix, formatScalar(value)]];
}

/** Flattens metadata (`runMetadata`) to `[key.path, value]` pairs with the values kept as they are. */
export function flattenMetadata(metadata: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const walk = (value: unknown, key: string) => {
    if (isMetadataEntry(value)) return walk(value.value, key);
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, `${key}.${k}`);
      return;
    }
    out.push([key, value]);
  };
  for (const [k, v] of Object.entries(metadata)) walk(v, k);
  return out;
}

// ── renderers ──────────────────────────────────────────────────────────────────────────────

/** RFC 4180 CSV: a header row, then one row per record; fields quoted when needed. */
export function renderCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const field = (text: string) => (/[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/** Records as CSV with every (flattened) field as a column, in first-seen order. */
export function recordsToCsv(records: readonly unknown[]): string {
  const flat = records.map((r) => new Map(flatten(r)));
  const header: string[] = [];
  const seen = new Set<string>();
  for (const m of flat) {
    for (const k of m.keys()) {
      if (seen.has(k)) continue;
      seen.add(k);
      header.push(k);
    }
  }
  const columns = expandNullParents(header);
  return renderCsv(columns, flat.map((m) => columns.map((k) => m.get(k) ?? '')));
}

/**
 * A field that is null in one record and an object in another (e.g. `productionVersion`) flattens to
 * both `productionVersion` and `productionVersion.id`…; keep only the nested columns, at the place the
 * field first appeared, so every row has the same, regular header.
 */
function expandNullParents(header: string[]): string[] {
  const out: string[] = [];
  const placed = new Set<string>();
  for (const key of header) {
    if (placed.has(key)) continue;
    const children = header.filter((k) => k.startsWith(`${key}.`));
    for (const k of children.length > 0 ? children : [key]) {
      if (placed.has(k)) continue;
      placed.add(k);
      out.push(k);
    }
    placed.add(key);
  }
  return out;
}

/** JSON, two-space indented, with a final newline. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value === undefined ? null : value, null, 2)}\n`;
}

/** YAML of the same data as the JSON output (yaml is loaded on first use). */
export async function renderYaml(value: unknown): Promise<string> {
  // yaml is CommonJS: its exports are the default export (under Node and in the bundled CLI alike).
  const { default: YAML } = await import('yaml');
  return YAML.stringify(toPlain(value), { lineWidth: 0 });
}

/** A borderless, aligned table (cli-table3), header in bold when colours are on. */
export async function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, style: Style, indent = 0): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const none = '';
  const table = new Table({
    head: headers.map((h) => style.bold(h)),
    chars: {
      top: none, 'top-mid': none, 'top-left': none, 'top-right': none,
      bottom: none, 'bottom-mid': none, 'bottom-left': none, 'bottom-right': none,
      left: none, 'left-mid': none, mid: none, 'mid-mid': none, right: none, 'right-mid': none,
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push([...row]);
  const pad = ' '.repeat(indent);
  return table
    .toString()
    .split('\n')
    .map((line) => pad + line.trimEnd())
    .join('\n');
}

// ── listings ───────────────────────────────────────────────────────────────────────────────

/** One column of a listing table. */
export interface Column<T> {
  header: string;
  cell: (item: T, style: Style) => string;
  /** Cells longer than this are cut with an ellipsis (table output only). */
  maxWidth?: number;
}

/** How a listing looks as a table. */
export interface ListView<T> {
  columns: ReadonlyArray<Column<T>>;
  /** Plural noun for messages: `models`, `versions` … */
  noun: string;
}

/** Table rows for items (cells truncated per column). */
export function tableRows<T>(items: readonly T[], columns: ReadonlyArray<Column<T>>, style: Style): string[][] {
  return items.map((item) =>
    columns.map((c) => {
      const text = c.cell(item, style);
      return c.maxWidth !== undefined && stripAnsi(text).length > c.maxWidth ? truncate(stripAnsi(text), c.maxWidth) : text;
    }),
  );
}

/** Prints one page of a listing in the chosen format. JSON and YAML give the page as the SDK returns it. */
export async function printList<T>(ctx: CliContext, format: OutputFormat, page: PageOf<T>, view: ListView<T>): Promise<void> {
  switch (format) {
    case 'json':
      return void ctx.out(renderJson(page));
    case 'yaml':
      return void ctx.out(await renderYaml(page));
    case 'csv':
      return void ctx.out(recordsToCsv(page.items));
    case 'table':
      break;
  }
  if (page.items.length === 0) {
    ctx.out(page.total > 0 ? `No ${view.noun} on page ${page.page}: ${page.total} ${view.noun} in ${pageCount(page)} page(s) of ${page.size}.` : `No ${view.noun} found.`);
    return;
  }
  ctx.out(await renderTable(view.columns.map((c) => c.header), tableRows(page.items, view.columns, ctx.style), ctx.style));
  if (page.total > page.items.length) {
    const first = (page.page - 1) * page.size + 1;
    const last = first + page.items.length - 1;
    ctx.out(ctx.style.dim(`${first}–${last} of ${page.total} ${view.noun} (page ${page.page} of ${pageCount(page)}; see --page and --size)`));
  }
}

function pageCount(page: PageOf<unknown>): number {
  return Math.max(1, Math.ceil(page.total / page.size));
}

// ── describes ──────────────────────────────────────────────────────────────────────────────

/** A part of a describe's table output. */
export type Section =
  | { title: string; fields: ReadonlyArray<readonly [string, string]> }
  | { title: string; tree: Record<string, unknown>; empty?: string }
  | { title: string; table: { headers: readonly string[]; rows: ReadonlyArray<readonly string[]> }; empty?: string }
  | { title: string; lines: readonly string[]; empty?: string };

/** Renders metadata (or any JSON-like record) as an indented `key: value` tree. */
export function renderTree(value: Record<string, unknown>, style: Style, indent = 2): string[] {
  const lines: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  const walk = (v: unknown, key: string, depth: number) => {
    if (isMetadataEntry(v)) return walk(v.value, key, depth);
    const label = key === '' ? '' : `${style.cyan(key)}:`;
    if (isPlainObject(v) && Object.keys(v).length > 0) {
      if (label) lines.push(`${pad(depth)}${label}`);
      for (const [k, child] of Object.entries(v)) walk(child, k, depth + (label ? 2 : 0));
      return;
    }
    if (Array.isArray(v) && v.some((item) => isPlainObject(item) || Array.isArray(item))) {
      lines.push(`${pad(depth)}${label}`);
      v.forEach((item, i) => walk(item, `[${i}]`, depth + 2));
      return;
    }
    const text = Array.isArray(v) ? `[${v.map((x) => formatScalar(x)).join(', ')}]` : isPlainObject(v) ? '{}' : formatScalar(v);
    const [first = '', ...rest] = text.split('\n');
    lines.push(`${pad(depth)}${label}${label ? ' ' : ''}${first}`);
    for (const more of rest) lines.push(`${pad(depth + 2)}${more}`);
  };
  for (const [k, v] of Object.entries(value)) walk(v, k, indent);
  return lines;
}

/** Renders describe sections: a bold title, then aligned fields, a tree, a table or lines, indented. */
export async function renderSections(sections: readonly Section[], style: Style): Promise<string> {
  const blocks: string[] = [];
  for (const section of sections) {
    const out: string[] = [style.bold(section.title)];
    if ('fields' in section) {
      const width = Math.max(0, ...section.fields.map(([label]) => label.length));
      for (const [label, value] of section.fields) {
        const [first = '', ...rest] = value.split('\n');
        out.push(`  ${style.dim(label.padEnd(width))}  ${first}`);
        for (const more of rest) out.push(`  ${' '.repeat(width)}  ${more}`);
      }
    } else if ('tree' in section) {
      const lines = renderTree(section.tree, style);
      out.push(...(lines.length ? lines : [`  ${style.dim(section.empty ?? '(none)')}`]));
    } else if ('table' in section) {
      out.push(section.table.rows.length ? await renderTable(section.table.headers, section.table.rows, style, 2) : `  ${style.dim(section.empty ?? '(none)')}`);
    } else {
      out.push(...(section.lines.length ? section.lines.map((l) => `  ${l}`) : [`  ${style.dim(section.empty ?? '(none)')}`]));
    }
    blocks.push(out.join('\n'));
  }
  return blocks.join('\n\n');
}

/**
 * Prints one object: JSON/YAML are the object itself, CSV is `field,value` rows (flattened), and the
 * table format is what `sections` builds.
 */
export async function printObject(ctx: CliContext, format: OutputFormat, value: unknown, sections: () => Promise<Section[]> | Section[]): Promise<void> {
  switch (format) {
    case 'json':
      return void ctx.out(renderJson(value));
    case 'yaml':
      return void ctx.out(await renderYaml(value));
    case 'csv':
      return void ctx.out(renderCsv(['field', 'value'], flatten(value)));
    case 'table':
      return void ctx.out(await renderSections(await sections(), ctx.style));
  }
}
