import type { Next } from 'koa';
import { assertAllowed, type Access } from '../auth/policy.js';
import { principalFromBearer } from '../auth/credentials.js';
import type { Principal } from '../auth/principal.js';
import { unauthorized } from '../errors.js';
import type { AppContext } from './route.js';

/** The credential of an `Authorization: Bearer …` header, or null. */
export function bearerFrom(ctx: AppContext): string | null {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** Enforces a signed-in route's `access` and leaves the principal in `ctx.state.principal`. */
export function requirePrincipal(access: Access) {
  return async (ctx: AppContext, next: Next) => {
    const credential = bearerFrom(ctx);
    if (!credential) throw unauthorized('Send a token or API key in the Authorization header.');
    const principal = await principalFromBearer(ctx.deps, credential);
    if (!principal) throw unauthorized('The token or API key is invalid, expired or revoked.');
    ctx.state.principal = principal;
    assertAllowed(principal, access, ctx.method);
    return next();
  };
}

/** The signed-in principal of a route whose access is not public. */
export function principalOf(ctx: AppContext): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw unauthorized();
  return principal;
}

export const accountIdOf = (ctx: AppContext): number => principalOf(ctx).accountId;
