import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors.js';
import { assertAllowed, type Access } from './policy.js';
import type { ApiKeyPrincipal, Role, UserPrincipal } from './principal.js';

const user = (role: Role, isInstanceAdmin = false): UserPrincipal => ({ kind: 'user', accountId: 1, userId: 2, role, isInstanceAdmin });
const key = (...permissions: ('read' | 'write')[]): ApiKeyPrincipal => ({ kind: 'api_key', accountId: 1, keyId: 3, permissions });

/** The 403 code a call gets, or null when it is allowed. */
function refusal(principal: UserPrincipal | ApiKeyPrincipal, access: Access, method: string): string | null {
  try {
    assertAllowed(principal, access, method);
    return null;
  } catch (err) {
    expect((err as AppError).status).toBe(403);
    return (err as AppError).code;
  }
}

describe('assertAllowed', () => {
  it('lets every member of the account read and write member routes', () => {
    for (const role of ['owner', 'admin', 'agent'] as const) {
      expect(refusal(user(role), 'member', 'GET')).toBeNull();
      expect(refusal(user(role), 'member', 'POST')).toBeNull();
    }
  });

  it('lets agents read admin routes but only owners and admins change them', () => {
    expect(refusal(user('agent'), 'admin', 'GET')).toBeNull();
    expect(refusal(user('agent'), 'admin', 'HEAD')).toBeNull();
    expect(refusal(user('agent'), 'admin', 'PUT')).toBe('admin_required');
    expect(refusal(user('agent'), 'admin_user', 'GET')).toBe('admin_required');
    expect(refusal(user('admin'), 'admin', 'DELETE')).toBeNull();
    expect(refusal(user('owner'), 'admin_user', 'POST')).toBeNull();
  });

  it('keeps instance routes to the instance owner, whatever their role in an account', () => {
    expect(refusal(user('owner'), 'instance_admin', 'GET')).toBe('instance_admin_required');
    expect(refusal(user('agent', true), 'instance_admin', 'PUT')).toBeNull();
  });

  it('lets a read key only read, and a write key read and write', () => {
    expect(refusal(key('read'), 'member', 'GET')).toBeNull();
    expect(refusal(key('read'), 'admin', 'POST')).toBe('insufficient_permission');
    expect(refusal(key('write'), 'member', 'GET')).toBeNull();
    expect(refusal(key('write'), 'admin', 'DELETE')).toBeNull();
    expect(refusal(key(), 'member', 'GET')).toBe('insufficient_permission');
  });

  it('never lets an API key call user-only routes (keys cannot manage keys)', () => {
    for (const access of ['user', 'admin_user', 'instance_admin'] as const)
      expect(refusal(key('read', 'write'), access, 'GET')).toBe('api_key_not_allowed');
  });
});
