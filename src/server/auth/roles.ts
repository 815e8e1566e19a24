import { AuthorizationError, ValidationError } from '../../domain/errors.js';
import type { Stage } from '../../domain/stages.js';

/**
 * Who may do what (DESIGN.md §4, issue 5). Roles are ordered — viewer < editor < admin — and each
 * action names the least role allowed to do it, so a role can do everything a lower role can:
 *
 * | action               | least role | why                                                        |
 * |----------------------|------------|------------------------------------------------------------|
 * | `read`               | viewer     | every key may read                                         |
 * | `write`              | editor     | create/update models, versions, artifacts, runs, metadata   |
 * | `promote:staging`    | editor     | editors promote to staging                                 |
 * | `promote:none`       | editor     | editors may take a version out of staging/archived …       |
 * | `promote:archived`   | editor     | … and archive it, as long as production is not involved    |
 * | `promote:production` | admin      | anything that moves a version into OR out of production     |
 * | `delete`             | admin      | deletions                                                  |
 * | `manage_keys`        | admin      | create, list and revoke API keys                           |
 *
 * The production rule: an editor may not promote to production, so an editor must not be able to take
 * the production version away either (setting it to none or archived, which leaves the model without a
 * production version). A stage change is therefore authorized with {@link stageChangeAction}, which
 * maps every change that touches production — into or out of it — to `promote:production`. Setting a
 * version to `none` or `archived` needs only editor when the version is not in production. (A force
 * promotion to staging archives the previous staging holder: that is an editor's change too.)
 */
export const ROLES = ['viewer', 'editor', 'admin'] as const;

/** The role of an API key. */
export type Role = (typeof ROLES)[number];

/** What a request asks to do; see the table above. */
export const ACTIONS = [
  'read',
  'write',
  'promote:staging',
  'promote:production',
  'promote:archived',
  'promote:none',
  'delete',
  'manage_keys',
] as const;

/** One of {@link ACTIONS}. */
export type Action = (typeof ACTIONS)[number];

/** Who made a request: the API key that authenticated it. `name` is what the stage history records as actor. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

const LEAST_ROLE: Record<Action, Role> = {
  read: 'viewer',
  write: 'editor',
  'promote:staging': 'editor',
  'promote:none': 'editor',
  'promote:archived': 'editor',
  'promote:production': 'admin',
  delete: 'admin',
  manage_keys: 'admin',
};

/** True for `viewer`, `editor` and `admin`. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/** Validates a role given by a user; anything else is a `ValidationError` listing the roles. */
export function parseRole(value: unknown): Role {
  if (isRole(value)) return value;
  throw new ValidationError(`Unknown role ${JSON.stringify(value)}: use one of ${ROLES.join(', ')}.`, { role: value });
}

/** The least role that may do `action`. */
export function requiredRole(action: Action): Role {
  return LEAST_ROLE[action];
}

/**
 * True when `role` may do `action`. Unknown roles and actions may do nothing.
 * @example can('editor', 'promote:staging') // true
 */
export function can(role: Role, action: Action): boolean {
  const least = Object.hasOwn(LEAST_ROLE, action) ? LEAST_ROLE[action] : undefined;
  if (!least || !isRole(role)) return false;
  return RANK[role] >= RANK[least];
}

/**
 * The action a stage change needs: `promote:production` whenever production is the source or the
 * target, else `promote:<to>`.
 * @example stageChangeAction('production', 'archived') // 'promote:production'
 */
export function stageChangeAction(from: Stage, to: Stage): Action {
  if (from === 'production' || to === 'production') return 'promote:production';
  return `promote:${to}`;
}

/**
 * Throws `AuthorizationError` unless `principal` may do `action`; the message names the key, its role
 * and the role needed.
 */
export function authorize(principal: Principal, action: Action): void {
  if (can(principal.role, action)) return;
  const needed = Object.hasOwn(LEAST_ROLE, action) ? LEAST_ROLE[action] : 'admin';
  throw new AuthorizationError(
    `The API key "${principal.name}" has the role ${principal.role}; ${action} needs the role ${needed}${needed === 'admin' ? '' : ' or higher'}. Ask an admin for a key with that role.`,
    { role: principal.role, action, requiredRole: needed },
  );
}
