import { sql, type Kysely } from 'kysely';

/**
 * API keys for server mode (DESIGN.md §4). The raw key is never stored: only a per-key salt and the
 * keyed hash of the key (see `src/server/auth/api-key-format.ts`). Names are unique among keys that are
 * not revoked, so a revoked key's name can be reused while its row stays for the audit trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 255`))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('viewer', 'editor', 'admin')`))
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('api_keys_active_name')
    .on('api_keys')
    .column('name')
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}
