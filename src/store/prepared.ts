import { createQueryId, type CompiledQuery, type Compilable } from 'kysely';
import type { Executor } from './store.js';

/**
 * Compiled SQL of hot statements, so that the read hot path does not rebuild and recompile the same
 * Kysely query on every request (≈ 5–15 µs each). A statement is built once per dialect adapter (a
 * transaction shares its parent's adapter, and the store adds no plugins, so the SQL text is the same)
 * with unique sentinel strings as the variable parameters; each call copies the compiled query with
 * the sentinels replaced by the real values. Parameters the builder fixes itself (e.g. `limit(1)`)
 * stay as compiled. A statement whose SQL would depend on a parameter's value must not go through here.
 */
const cache = new WeakMap<object, Map<string, { compiled: CompiledQuery; slots: number[] }>>();

/** Sentinels passed to the builder: never a real value (they contain a NUL). */
export const SENTINELS = ['\u0000mp-param-0', '\u0000mp-param-1', '\u0000mp-param-2', '\u0000mp-param-3'] as const;

/**
 * Runs `build(SENTINELS)` compiled once per dialect under `key`, with the sentinels' positions filled
 * from `values` (in sentinel order), and returns its rows.
 */
export async function runPrepared<R>(db: Executor, key: string, build: (p: typeof SENTINELS) => Compilable<R>, values: readonly unknown[]): Promise<R[]> {
  const adapter = db.getExecutor().adapter;
  let statements = cache.get(adapter);
  if (!statements) cache.set(adapter, (statements = new Map()));
  let entry = statements.get(key);
  if (!entry) {
    const compiled = build(SENTINELS).compile();
    const slots = compiled.parameters.map((p) => SENTINELS.indexOf(p as (typeof SENTINELS)[number]));
    // Every value must appear, each exactly once: otherwise do not cache (and do not run it wrongly).
    for (let i = 0; i < values.length; i++) {
      if (slots.filter((s) => s === i).length !== 1) throw new Error(`Prepared statement "${key}": parameter ${i} does not appear exactly once.`);
    }
    if (slots.some((s) => s >= values.length)) throw new Error(`Prepared statement "${key}": more sentinels than values.`);
    entry = { compiled, slots };
    statements.set(key, entry);
  }
  const { compiled, slots } = entry;
  const parameters = compiled.parameters.map((p, i) => (slots[i]! >= 0 ? values[slots[i]!] : p));
  const result = await db.executeQuery<R>({ ...compiled, parameters, queryId: createQueryId() } as CompiledQuery<R>);
  return result.rows;
}
