import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { FilterClause } from '../domain/filter.js';

/** How one filter field maps to SQL: a column, or a tag table joined by the listed row's id. */
export type FilterColumn =
  | { kind: 'column'; column: string }
  | { kind: 'tag'; table: string; idColumn: string; parentId: string };

function likePattern(value: string): string {
  return `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function sqlValue(value: string | number | Date): string | number {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * Turns parsed filter clauses into one SQL condition (clauses joined by AND). Works on every dialect:
 * it uses only `lower()`, `LIKE … ESCAPE` and `EXISTS`.
 */
export function filterCondition(
  // Filters apply to whichever (aliased) tables a listing selects from; the field map names the columns.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  eb: ExpressionBuilder<any, any>,
  clauses: FilterClause[],
  columns: Record<string, FilterColumn>,
): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = clauses.map((clause) => {
    const target = columns[clause.field];
    if (!target) throw new Error(`filter field ${clause.field} has no column mapping`);
    if (target.kind === 'tag') {
      const match =
        clause.op === '~'
          ? sql<SqlBool>`lower(t.tag) like ${likePattern(String(clause.value))} escape '\\'`
          : sql<SqlBool>`t.tag = ${String(clause.value)}`;
      const exists = sql<SqlBool>`exists (select 1 from ${sql.table(target.table)} t where t.${sql.ref(target.idColumn)} = ${sql.ref(target.parentId)} and ${match})`;
      return clause.op === '!=' ? sql<SqlBool>`not ${exists}` : exists;
    }
    const col = sql.ref(target.column);
    if (clause.op === '~') return sql<SqlBool>`lower(${col}) like ${likePattern(String(clause.value))} escape '\\'`;
    const op = sql.raw(clause.op === '!=' ? '<>' : clause.op);
    return sql<SqlBool>`${col} ${op} ${sqlValue(clause.value)}`;
  });
  return eb.and(parts);
}
