import { SignJWT, jwtVerify } from 'jose';
import type { Next } from 'koa';
import { findActiveKey, API_KEY_PREFIX, touchKey } from '../api-keys/repo.js';
import { findUserById } from '../accounts/repo.js';
import { forbidden, unauthorized } from './errors.js';
import type { Access, AppContext } from './route.js';
import type { Deps } from '../deps.js';

export type Role = 'owner' | 'admin' | 'agent';
export type Permission = 'read' | 'write';

export type UserPrincipal = {
  kind: 'user';
  accountId: number;
  userId: number;
  role: Role;
  isInstanceAdmin: boolean;
};
export type ApiKeyPrincipal = { kind: 'api_key'; accountId: number; keyId: number; permissions: Permission[] };
export type Principal = UserPrincipal | ApiKeyPrincipal;

const ISSUER = 'nova-chat-desktop';

export async function issueToken(deps: Deps, user: { id: number; account_id: number }): Promise<string> {
  return new SignJWT({ acc: user.account_id })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(user.id))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + deps.config.jwtTtlSeconds)
    .sign(deps.jwtKey);
}

/** Resolves a bearer credential (JWT or `nc_live_` key) to a principal, or null when it is not valid. */
export async function principalFromBearer(deps: Deps, credential: string): Promise<Principal | null> {
  if (credential.startsWith(API_KEY_PREFIX)) {
    const key = await findActiveKey(deps.db, credential);
    if (!key) return null;
    touchKey(deps.db, key.id);
    return { kind: 'api_key', accountId: key.account_id, keyId: key.id, permissions: key.permissions };
  }
  try {
    const { payload } = await jwtVerify(credential, deps.jwtKey, { issuer: ISSUER, algorithms: ['HS256'] });
    // The user is re-read on every request so a deleted agent's token stops working at once.
    const user = await findUserById(deps.db, Number(payload.sub));
    if (!user || user.account_id !== payload.acc) return null;
    return {
      kind: 'user',
      accountId: user.account_id,
      userId: user.id,
      role: user.role,
      isInstanceAdmin: user.is_instance_admin,
    };
  } catch {
    return null;
  }
}

export function bearerFrom(ctx: AppContext): string | null {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

const isReadMethod = (method: string) => method === 'GET' || method === 'HEAD';

/** Enforces a route's `access` and leaves the principal in `ctx.state.principal`. */
export function requireAccess(access: Access) {
  return async (ctx: AppContext, next: Next) => {
    if (access === 'public' || access === 'widget') return next();
    const credential = bearerFrom(ctx);
    if (!credential) throw unauthorized('Send a token or API key in the Authorization header.');
    const principal = await principalFromBearer(ctx.deps, credential);
    if (!principal) throw unauthorized('The token or API key is invalid, expired or revoked.');
    ctx.state.principal = principal;
    assertAllowed(principal, access, ctx.method);
    return next();
  };
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
  const isAdmin = principal.role === 'owner' || principal.role === 'admin';
  if (access === 'admin' && !isAdmin && !isReadMethod(method)) throw forbidden('admin_required', 'Only account admins can change this.');
  if (access === 'admin_user' && !isAdmin) throw forbidden('admin_required', 'Only account admins can do this.');
  if (access === 'instance_admin' && !principal.isInstanceAdmin)
    throw forbidden('instance_admin_required', 'Only the owner of this Nova Chat instance can do this.');
}

/** The signed-in principal of a route whose access is not public. */
export function principalOf(ctx: AppContext): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw unauthorized();
  return principal;
}

export const accountIdOf = (ctx: AppContext): number => principalOf(ctx).accountId;
