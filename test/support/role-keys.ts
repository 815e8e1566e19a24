import type { ApiKeyService } from '../../src/server/auth/api-key-service.js';

/** One raw key per role, plus a revoked admin key, as the server suites use them. */
export type RoleKeys = Record<'admin' | 'editor' | 'viewer' | 'revoked', string>;

/** Bootstraps the admin key of a fresh store and creates an editor, a viewer and a revoked admin key. */
export async function createRoleKeys(auth: ApiKeyService): Promise<RoleKeys> {
  const admin = (await auth.ensureAdminKey())!.key;
  const editor = (await auth.create({ name: 'ed', role: 'editor' })).key;
  const viewer = (await auth.create({ name: 'vi', role: 'viewer' })).key;
  const revoked = await auth.create({ name: 'gone', role: 'admin' });
  await auth.revoke(revoked.record.id);
  return { admin, editor, viewer, revoked: revoked.key };
}
