import { ValidationError } from './errors.js';

/** Values a version-name template can refer to. */
export interface TemplateContext {
  /** The moment to render `{date}` and `{time}` for (UTC). */
  now: Date;
  run?: { id: string; name: string };
  pipeline?: { name: string };
  /** Custom placeholders, e.g. `{ team: 'vision' }` for `{team}`. */
  substitutions?: Record<string, string | number>;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** True when `value` contains at least one `{placeholder}`. */
export function hasPlaceholders(value: string): boolean {
  return /\{[^{}]*\}/.test(value);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function lookup(key: string, ctx: TemplateContext): string | undefined {
  const custom = ctx.substitutions?.[key];
  if (custom !== undefined) return String(custom);
  const d = ctx.now;
  switch (key) {
    case 'date':
      return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1, 2)}_${pad(d.getUTCDate(), 2)}`;
    case 'time':
      // JS clocks stop at milliseconds; the microsecond digits keep the Python-compatible width.
      return `${pad(d.getUTCHours(), 2)}_${pad(d.getUTCMinutes(), 2)}_${pad(d.getUTCSeconds(), 2)}_${pad(d.getUTCMilliseconds() * 1000, 6)}`;
    case 'run.id':
      return ctx.run?.id;
    case 'run.name':
      return ctx.run?.name;
    case 'pipeline.name':
      return ctx.pipeline?.name;
    default:
      return undefined;
  }
}

function sliceBound(text: string | undefined, length: number, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  if (!/^\s*-?\d+\s*$/.test(text)) throw new Error('bad bound');
  const n = Number(text);
  return n < 0 ? Math.max(0, length + n) : Math.min(length, n);
}

function applySlice(value: string, slice: string, placeholder: string): string {
  const parts = slice.split(':');
  try {
    if (parts.length === 1) {
      // Python-style single index: {run.id[0]}
      const i = sliceBound(parts[0], value.length, 0);
      return value.charAt(i);
    }
    if (parts.length === 2) {
      const start = sliceBound(parts[0], value.length, 0);
      const end = sliceBound(parts[1], value.length, value.length);
      return start < end ? value.slice(start, end) : '';
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError(`The slice in "{${placeholder}}" is not valid: use Python-style [start:end], e.g. {run.id[:8]}.`);
}

/**
 * Renders a version-name template such as `run-{run.id[:8]}` or `{date}_{time}`.
 * Unknown placeholders raise a `ValidationError` listing the known ones.
 * @example renderVersionTemplate('run-{run.id[:8]}', { now: new Date(), run: { id, name } })
 */
export function renderVersionTemplate(template: string, ctx: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_match, inner: string) => {
    const m = /^\s*([A-Za-z_][\w.]*)\s*(?:\[([^\]]*)\])?\s*$/.exec(inner);
    const key = m?.[1];
    const value = key === undefined ? undefined : lookup(key, ctx);
    if (key === undefined || value === undefined) {
      const known = ['date', 'time', 'run.id', 'run.name', 'pipeline.name', ...Object.keys(ctx.substitutions ?? {})];
      const unavailable = key !== undefined && ['run.id', 'run.name', 'pipeline.name'].includes(key);
      throw new ValidationError(
        unavailable
          ? `The placeholder "{${inner}}" in version template "${template}" needs a pipeline run; it can only be rendered when a pipeline runs.`
          : `Unknown placeholder "{${inner}}" in version template "${template}": use one of ${known.map((k) => `{${k}}`).join(', ')}, or pass it in "substitutions".`,
      );
    }
    return m?.[2] === undefined ? value : applySlice(value, m[2], inner);
  });
}
