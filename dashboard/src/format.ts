/** Formatting helpers: dates, durations, sizes, numbers, metadata paths. */

/** `2026-12-04 18:55` in local time, or an em dash. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "3 min ago" style relative time. */
export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** Milliseconds between two ISO times as `1.23 s`, `45 ms` or `2 min 3 s`. */
export function formatDuration(start: string | null | undefined, end: string | null | undefined): string {
  if (!start || !end) return '—';
  const ms = new Date(end).getTime() - new Date(start).getTime();
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Bytes as `512 B`, `1.5 KB`, `12.3 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A number with at most 4 significant decimals; other values as compact JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'string') return v;
  if (v === undefined) return '—';
  return JSON.stringify(v);
}

/** A signed difference such as `+0.0333` or `−2`. */
export function formatDelta(d: number): string {
  const text = formatValue(Math.abs(d));
  return d > 0 ? `+${text}` : d < 0 ? `−${text}` : '±0';
}

/** The value at a dotted path (`evaluation_metrics.accuracy`) of a version's metadata (values, not entries). */
export function metadataAt(runMetadata: Record<string, { value: unknown }>, path: string): unknown {
  const [top, ...rest] = path.split('.');
  let v: unknown = runMetadata[top!]?.value;
  for (const part of rest) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Flattens metadata values into dotted leaf paths (arrays are leaves). */
export function flatten(values: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) flatten(v as Record<string, unknown>, path, out);
    else out[path] = v;
  }
  return out;
}

/** The first 12 characters of a sha256. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
