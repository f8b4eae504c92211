import { forbidden } from '../errors.js';
import type { Permission, Principal, UserPrincipal } from './principal.js';

/**
 * Who may call a route:
 * - `public`: anyone (register, login, health);
 * - `widget`: the public widget API: the router resolves the website from `?website_token=` (401 without a valid one);
 * - `realtime`: the event stream, which takes a console token or the widget's tokens and checks them itself;
 * - `member`: any signed-in user or API key of the account (a `read` key only for GET);
 * - `admin`: account owner/admin users, or API keys (a `read` key only for GET); services refine it with
 *   `assertSignedInAdmin` where what is changed is a person (a human agent), not data;
 * - `user`: signed-in users only, never API keys (API keys cannot manage API keys);
 * - `admin_user`: owner/admin users only;
 * - `instance_admin`: the owner of the instance (the first account's owner).
 */
export type Access = 'public' | 'widget' | 'realtime' | 'member' | 'admin' | 'user' | 'admin_user' | 'instance_admin';

const isReadMethod = (method: string) => method === 'GET' || method === 'HEAD';

/** Throws the 403 a principal gets for calling a route of this access with this method, if any. */
const isAdmin = (principal: UserPrincipal) => principal.role === 'owner' || principal.role === 'admin';

/**
 * API keys act for an account's data, not for its people: creating, changing or removing someone who can sign
 * in (and minting credentials) needs a signed-in admin, whatever the key's permissions.
 */
export function assertSignedInAdmin(principal: Principal, action: string): asserts principal is UserPrincipal {
  if (principal.kind === 'api_key') throw forbidden('api_key_not_allowed', `API keys cannot ${action}; sign in as an account admin.`);
  if (!isAdmin(principal)) throw forbidden('admin_required', 'Only account admins can do this.');
}

export function assertAllowed(principal: Principal, access: Access, method: string): void {
  if (principal.kind === 'api_key') {
    if (access === 'user' || access === 'admin_user' || access === 'instance_admin')
      throw forbidden('api_key_not_allowed', 'API keys cannot call this endpoint; sign in as a user.');
    // A write key can also read: nobody expects a key that may change data to be blind to it.
    const needed: Permission = isReadMethod(method) ? 'read' : 'write';
    const granted = needed === 'read' ? principal.permissions.length > 0 : principal.permissions.includes('write');
    if (!granted) throw forbidden('insufficient_permission', `This API key lacks the "${needed}" permission.`);
    return;
  }
  if (access === 'admin' && !isAdmin(principal) && !isReadMethod(method))
    throw forbidden('admin_required', 'Only account admins can change this.');
  if (access === 'admin_user' && !isAdmin(principal)) throw forbidden('admin_required', 'Only account admins can do this.');
  if (access === 'instance_admin' && !principal.isInstanceAdmin)
    throw forbidden('instance_admin_required', 'Only the owner of this Nova Chat instance can do this.');
}
