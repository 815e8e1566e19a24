import { describe, expect, it } from 'vitest';
import { AuthorizationError, ValidationError } from '../../domain/errors.js';
import type { Stage } from '../../domain/stages.js';
import { ACTIONS, authorize, can, isRole, parseRole, requiredRole, ROLES, stageChangeAction, type Action, type Role } from './roles.js';

// The whole policy as a table: a change here must be a deliberate change of the policy.
const MATRIX: Record<Role, Action[]> = {
  viewer: ['read'],
  editor: ['read', 'write', 'promote:staging', 'promote:none', 'promote:archived'],
  admin: [...ACTIONS],
};

describe('roles', () => {
  it('allows exactly the actions of the policy table, for every role and action', () => {
    for (const role of ROLES) {
      for (const action of ACTIONS) {
        expect({ role, action, allowed: can(role, action) }).toEqual({ role, action, allowed: MATRIX[role].includes(action) });
      }
    }
  });

  it('is ordered: a role may do everything a lower role may', () => {
    for (const action of ACTIONS) {
      const allowed = ROLES.map((role) => can(role, action));
      expect(allowed.indexOf(true)).toBe(ROLES.indexOf(requiredRole(action)));
      expect(allowed.slice(allowed.indexOf(true)).every(Boolean)).toBe(true);
    }
  });

  it('denies unknown roles and actions', () => {
    expect(can('root' as Role, 'read')).toBe(false);
    expect(can('admin', 'drop_database' as Action)).toBe(false);
    expect(can('admin', 'toString' as Action)).toBe(false);
    expect(isRole('constructor')).toBe(false);
  });

  it('needs admin for every stage change that touches production, in or out', () => {
    const stages: Stage[] = ['none', 'staging', 'production', 'archived'];
    for (const from of stages) {
      for (const to of stages) {
        const action = stageChangeAction(from, to);
        const touchesProduction = from === 'production' || to === 'production';
        expect(action).toBe(touchesProduction ? 'promote:production' : `promote:${to}`);
        expect(can('editor', action)).toBe(!touchesProduction);
        expect(can('admin', action)).toBe(true);
        expect(can('viewer', action)).toBe(false);
      }
    }
  });

  it('authorize throws AuthorizationError naming the key, its role and the role needed', () => {
    const viewer = { id: 'k1', name: 'dashboard', role: 'viewer' as const };
    const editor = { id: 'k2', name: 'ci', role: 'editor' as const };
    expect(() => authorize(viewer, 'read')).not.toThrow();
    expect(() => authorize(viewer, 'write')).toThrow(AuthorizationError);
    expect(() => authorize(viewer, 'write')).toThrow('The API key "dashboard" has the role viewer; write needs the role editor or higher.');
    expect(() => authorize(editor, 'promote:production')).toThrow(/"ci" has the role editor; promote:production needs the role admin\./);
    try {
      authorize(editor, 'manage_keys');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AuthorizationError);
      expect((error as AuthorizationError).code).toBe('authorization_error');
      expect((error as AuthorizationError).details).toEqual({ role: 'editor', action: 'manage_keys', requiredRole: 'admin' });
    }
    expect(() => authorize({ id: 'k3', name: 'root', role: 'admin' }, 'delete')).not.toThrow();
  });

  it('parseRole accepts the three roles and rejects anything else with the list', () => {
    for (const role of ROLES) expect(parseRole(role)).toBe(role);
    for (const bad of ['Admin', 'owner', '', null, 1, undefined]) {
      expect(() => parseRole(bad)).toThrow(ValidationError);
    }
    expect(() => parseRole('owner')).toThrow('Unknown role "owner": use one of viewer, editor, admin.');
  });
});
