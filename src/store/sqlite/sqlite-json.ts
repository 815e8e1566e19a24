import { sql, type Expression, type RawBuilder } from 'kysely';
import type { JsonPathCount } from '../dialect-capabilities.js';

/** The SQLite JSON path of object keys: `$."a"."b"` (segments never contain `"`, see parseMetadataPathSegments). */
function jsonPath(path: readonly string[]): string {
  return `$${path.map((p) => `."${p}"`).join('')}`;
}

/** SQLite: the JSON number at `path` of `json`, else NULL (booleans are their own JSON type, not numbers). */
export function sqliteJsonNumberAt(json: Expression<string>, path: readonly string[]): RawBuilder<number | null> {
  const p = jsonPath(path);
  return sql<number | null>`(case when json_type(${json}, ${p}) in ('integer', 'real') then json_extract(${json}, ${p}) end)`;
}

/** SQLite: the JSON string (or boolean, as `true`/`false`) at `path` of `json`, else NULL. */
export function sqliteJsonTextAt(json: Expression<string>, path: readonly string[]): RawBuilder<string | null> {
  const p = jsonPath(path);
  return sql<string | null>`(case json_type(${json}, ${p}) when 'text' then json_extract(${json}, ${p}) when 'true' then 'true' when 'false' then 'false' end)`;
}

/** SQLite: paths of the JSON values of `source` down to `maxDepth`, walked with json_each in a recursive CTE. */
export function sqliteJsonPathCounts(source: RawBuilder<{ key: string; value: string }>, maxDepth: number): RawBuilder<JsonPathCount> {
  return sql<JsonPathCount>`
    with recursive src(key, value) as (${source}),
    t(path, v, ty, depth) as (
      select key, value, json_type(value), 1 from src
      union all
      select t.path || '.' || e.key, e.value, e.type, t.depth + 1 from t, json_each(t.v) e
      where t.ty = 'object' and t.depth < ${sql.lit(maxDepth)}
    )
    select path,
      case ty when 'integer' then 'number' when 'real' then 'number' when 'text' then 'string' when 'true' then 'boolean' when 'false' then 'boolean' else ty end as type,
      count(*) as count
    from t group by 1, 2`;
}
