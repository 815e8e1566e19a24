/** Which stage changes a role may make from the dashboard (mirrors the server's role policy). */
import type { Role, Stage } from '../api/types.js';

/** Every stage a version can be set to. */
export const STAGES: readonly Stage[] = ['staging', 'production', 'archived', 'none'];

/**
 * The stages `role` may move a version in `current` to: viewers none; editors staging, none and
 * archived, but nothing into or out of production; admins everything.
 */
export function allowedTargets(role: Role, current: Stage): Stage[] {
  if (role === 'viewer') return [];
  const others = STAGES.filter((s) => s !== current);
  if (role === 'admin') return others;
  if (current === 'production') return [];
  return others.filter((s) => s !== 'production');
}

/** Parses a role string from the API (unknown → viewer, the least). */
export function asRole(value: string | null | undefined): Role {
  return value === 'admin' || value === 'editor' ? value : 'viewer';
}
