import type * as Arrow from 'apache-arrow';
import { ValidationError } from '../domain/errors.js';
import type { Materializer } from './materializer.js';

/** One row of an array of records: column name → number, string, boolean or null. */
export type TableRecord = Record<string, number | string | boolean | null>;

type ColumnKind = 'number' | 'string' | 'boolean' | 'null';

interface ColumnPlan {
  name: string;
  kind: ColumnKind;
  /** Every non-null value is an int32 other than -0, so Int32 storage is exact. */
  int32: boolean;
  hasNull: boolean;
}

const ARROW_TABLE_SYMBOL = Symbol.for('apache-arrow/Table');

/** True for an Apache Arrow `Table` from any copy of the library, without loading Arrow. */
function isArrowTable(value: unknown): value is Arrow.Table {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[ARROW_TABLE_SYMBOL] === true) return true;
  return (value as { constructor?: { name?: unknown } }).constructor?.name === 'Table' && 'schema' in value && 'batches' in value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns the column layout when `value` is a non-empty array of plain objects with the same keys in
 * the same order and one scalar type per column (nulls allowed), i.e. when an Arrow round trip is
 * exact; otherwise `undefined` (such arrays are left to the JSON materializer).
 */
function planRecords(value: unknown): ColumnPlan[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const first: unknown = value[0];
  if (!isPlainObject(first)) return undefined;
  const names = Object.keys(first);
  // No columns means no row count in Arrow; `__proto__` cannot be rebuilt as a plain assignment.
  if (names.length === 0 || names.includes('__proto__')) return undefined;
  const plans: ColumnPlan[] = names.map((name) => ({ name, kind: 'null', int32: true, hasNull: false }));
  for (let i = 0; i < value.length; i++) {
    const row: unknown = value[i];
    if (!isPlainObject(row) || Object.getOwnPropertySymbols(row).length > 0) return undefined;
    const keys = Object.keys(row);
    if (keys.length !== names.length) return undefined;
    for (let c = 0; c < names.length; c++) {
      if (keys[c] !== names[c]) return undefined;
      const plan = plans[c]!;
      const cell = row[plan.name];
      if (cell === null) {
        plan.hasNull = true;
        continue;
      }
      const kind = typeof cell;
      if (kind !== 'number' && kind !== 'string' && kind !== 'boolean') return undefined;
      if (plan.kind === 'null') plan.kind = kind;
      else if (plan.kind !== kind) return undefined;
      if (kind === 'number' && plan.int32 && (((cell as number) | 0) !== cell || Object.is(cell, -0))) plan.int32 = false;
    }
  }
  return plans;
}

async function recordsToTable(rows: TableRecord[], plans: ColumnPlan[]): Promise<Arrow.Table> {
  const A = await import('apache-arrow');
  const columns: Record<string, Arrow.Vector> = {};
  for (const plan of plans) {
    const values = rows.map((row) => row[plan.name] ?? null);
    let vector: Arrow.Vector;
    if (plan.kind === 'number') {
      const Kind = plan.int32 ? Int32Array : Float64Array;
      // Without nulls a typed array becomes the column as is; the builder is only needed for validity bits.
      vector = plan.hasNull
        ? A.vectorFromArray(values, plan.int32 ? new A.Int32() : new A.Float64())
        : A.makeVector(Kind.from(values as number[]));
    } else if (plan.kind === 'string') {
      vector = A.vectorFromArray(values, new A.Utf8());
    } else if (plan.kind === 'boolean') {
      vector = A.vectorFromArray(values, new A.Bool());
    } else {
      vector = A.vectorFromArray(values, new A.Null());
    }
    columns[plan.name] = vector;
  }
  return new A.Table(columns);
}

function tableToRecords(table: Arrow.Table): TableRecord[] {
  const names = table.schema.fields.map((field) => field.name);
  const columns = names.map((name): ArrayLike<TableRecord[string]> => {
    const vector = table.getChild(name);
    if (!vector) throw new ValidationError(`Stored table has no column ${JSON.stringify(name)}`);
    // Typed-array access is much faster than per-cell get(), but shows nulls as 0, so only without nulls.
    if (vector.nullCount === 0) {
      const array: unknown = vector.toArray();
      if (array instanceof Float64Array || array instanceof Int32Array) return array;
    }
    return Array.from(vector as Iterable<TableRecord[string]>);
  });
  const rows = new Array<TableRecord>(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: TableRecord = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = columns[c]![i] ?? null;
    rows[i] = row;
  }
  return rows;
}

/**
 * Stores Apache Arrow tables (data type `arrow.Table`) and arrays of records (data type `records`) as
 * Arrow IPC files; records load back as plain objects equal to the input, column order included.
 * Arrow itself is imported only when a table is saved or loaded.
 */
export const tableMaterializer: Materializer<Arrow.Table | TableRecord[]> = {
  name: 'table',
  canHandle(value: unknown): boolean {
    return isArrowTable(value) || planRecords(value) !== undefined;
  },
  async save(value: Arrow.Table | TableRecord[], writer): Promise<void> {
    const A = await import('apache-arrow');
    let table: Arrow.Table;
    if (isArrowTable(value)) {
      writer.setDataType('arrow.Table');
      table = value;
    } else {
      const plans = planRecords(value);
      if (!plans) throw new ValidationError('table materializer needs an Arrow Table or a non-empty array of records with the same keys and one scalar type per column');
      writer.setDataType('records');
      table = await recordsToTable(value, plans);
    }
    await writer.write(A.tableToIPC(table, 'file'));
  },
  async load(reader): Promise<Arrow.Table | TableRecord[]> {
    if (reader.dataType !== 'arrow.Table' && reader.dataType !== 'records') {
      throw new ValidationError(`table materializer cannot load data type ${JSON.stringify(reader.dataType)}`);
    }
    const A = await import('apache-arrow');
    const table = A.tableFromIPC(await reader.bytes());
    return reader.dataType === 'records' ? tableToRecords(table) : table;
  },
};
