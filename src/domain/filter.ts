import { ValidationError } from './errors.js';

/**
 * The one filter syntax shared by the SDK, CLI (`--filter`), REST API (`?filter=`) and dashboard:
 *
 *   clause [and clause]…        clause := field op value
 *   op:    =  !=  >  >=  <  <=  ~ (contains, case-insensitive)
 *   value: bare word, or "quoted" / 'quoted' text
 *
 * Examples: `name~iris and tag=prod`, `stage=production`, `number>=10 and createdAt>2026-01-01`.
 * Which fields exist, and their types, depends on what is listed (see each list method).
 */
export type FilterOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

/** The type of a filterable field decides which operators apply and how the value is parsed. */
export type FilterFieldType = 'string' | 'number' | 'date' | 'tag' | 'enum';

/** What a listing allows to filter on. */
export interface FilterFieldSpec {
  type: FilterFieldType;
  /** For `enum` fields, the allowed values. */
  values?: readonly string[];
}

/** One parsed clause with its value converted to the field's type. */
export interface FilterClause {
  field: string;
  op: FilterOp;
  value: string | number | Date;
}

const TOKEN = /\s*(?:(and\b|&&|,)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(>=|<=|!=|==|=|>|<|~)|([^\s=!<>~,"']+))/iy;

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

const OPS_BY_TYPE: Record<FilterFieldType, readonly FilterOp[]> = {
  string: ['=', '!=', '~', '>', '>=', '<', '<='],
  number: ['=', '!=', '>', '>=', '<', '<='],
  date: ['=', '!=', '>', '>=', '<', '<='],
  tag: ['=', '!=', '~'],
  enum: ['=', '!='],
};

function convert(field: string, spec: FilterFieldSpec, raw: string): string | number | Date {
  switch (spec.type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new ValidationError(`Filter on "${field}" needs a number, got "${raw}".`);
      return n;
    }
    case 'date': {
      const d = new Date(raw);
      if (Number.isNaN(d.getTime())) {
        throw new ValidationError(`Filter on "${field}" needs a date such as 2026-01-31 or 2026-01-31T12:00:00Z, got "${raw}".`);
      }
      return d;
    }
    case 'enum': {
      const lower = raw.toLowerCase();
      if (!spec.values?.includes(lower)) {
        throw new ValidationError(`Filter on "${field}" must be one of ${spec.values?.join(', ')}, got "${raw}".`);
      }
      return lower;
    }
    default:
      return raw;
  }
}

/**
 * Parses a filter expression against the fields a listing allows.
 * @example parseFilter('name~iris and tag=prod', { name: { type: 'string' }, tag: { type: 'tag' } })
 */
export function parseFilter(text: string | undefined, fields: Record<string, FilterFieldSpec>): FilterClause[] {
  if (text === undefined || text.trim() === '') return [];
  const tokens: Array<{ kind: 'and' | 'value' | 'op'; text: string }> = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (text.slice(pos).trim() === '') break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new ValidationError(`Cannot read the filter ${JSON.stringify(text)} at position ${pos + 1}. Syntax: field op value [and field op value]…, ops = != > >= < <= ~.`);
    pos = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: 'and', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'value', text: unquote(m[2]) });
    else if (m[3]) tokens.push({ kind: 'op', text: m[3] === '==' ? '=' : m[3] });
    else tokens.push({ kind: 'value', text: m[4]! });
  }
  const clauses: FilterClause[] = [];
  const known = Object.keys(fields).join(', ');
  for (let i = 0; i < tokens.length; ) {
    const [f, op, v] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!f || f.kind !== 'value' || !op || op.kind !== 'op' || !v || v.kind !== 'value') {
      throw new ValidationError(`The filter ${JSON.stringify(text)} is incomplete: each clause is field op value, e.g. name~iris. Fields: ${known}.`);
    }
    const spec = fields[f.text];
    if (!spec) throw new ValidationError(`Unknown filter field "${f.text}": use one of ${known}.`);
    const opText = op.text as FilterOp;
    if (!OPS_BY_TYPE[spec.type].includes(opText)) {
      throw new ValidationError(`The operator "${opText}" does not apply to "${f.text}": use ${OPS_BY_TYPE[spec.type].join(' ')}.`);
    }
    clauses.push({ field: f.text, op: opText, value: convert(f.text, spec, v.text) });
    i += 3;
    if (i < tokens.length) {
      if (tokens[i]!.kind !== 'and') throw new ValidationError(`Join filter clauses with "and": ${JSON.stringify(text)}.`);
      i += 1;
      if (i >= tokens.length) throw new ValidationError(`The filter ${JSON.stringify(text)} ends with "and".`);
    }
  }
  return clauses;
}

/** A parsed sort order. */
export interface SortSpec {
  field: string;
  direction: 'asc' | 'desc';
}

/**
 * Parses `field`, `-field`, `asc:field` or `desc:field` against the sortable fields of a listing.
 * @example parseSort('-createdAt', ['name', 'createdAt'], { field: 'createdAt', direction: 'desc' })
 */
export function parseSort(text: string | undefined, allowed: readonly string[], fallback: SortSpec): SortSpec {
  if (text === undefined || text.trim() === '') return fallback;
  let t = text.trim();
  let direction: 'asc' | 'desc' = 'asc';
  if (t.startsWith('-')) {
    direction = 'desc';
    t = t.slice(1);
  } else if (t.startsWith('+')) {
    t = t.slice(1);
  } else {
    const m = /^(asc|desc):(.+)$/i.exec(t);
    if (m) {
      direction = m[1]!.toLowerCase() as 'asc' | 'desc';
      t = m[2]!;
    }
  }
  if (!allowed.includes(t)) throw new ValidationError(`Cannot sort by "${t}": use one of ${allowed.join(', ')} (prefix "-" for descending).`);
  return { field: t, direction };
}
