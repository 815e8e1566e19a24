import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/**
 * Checks the registry's own invariants, beyond what the database engine checks: one holder per
 * exclusive stage, and a stage history that, replayed, gives every version its current stage.
 * Returns one line per problem found.
 */
export async function checkRegistryInvariants(db: Kysely<Database>): Promise<string[]> {
  const problems: string[] = [];
  const doubles = await db
    .selectFrom('model_versions')
    .select(['model_id', 'stage', (eb) => eb.fn.countAll<number>().as('n')])
    .where('stage', 'in', ['staging', 'production'])
    .groupBy(['model_id', 'stage'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const d of doubles) problems.push(`model ${d.model_id} has ${d.n} versions in ${d.stage}`);

  const versions = await db.selectFrom('model_versions').select(['id', 'model_id', 'stage']).execute();
  const replayed = new Map<string, string>();
  const transitions = await db.selectFrom('stage_transitions').select(['model_version_id', 'to_stage', 'displaced_version_id']).orderBy('seq').execute();
  for (const t of transitions) {
    replayed.set(t.model_version_id, t.to_stage);
    if (t.displaced_version_id) replayed.set(t.displaced_version_id, 'archived');
  }
  for (const v of versions) {
    const expected = replayed.get(v.id) ?? 'none';
    if (expected !== v.stage) problems.push(`version ${v.id} is in ${v.stage} but its stage history says ${expected}`);
  }
  return problems;
}
