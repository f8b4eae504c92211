import type { Knex } from 'knex';
import { findUserById } from '../accounts/repo.js';
import { API_KEY_PREFIX, findActiveKey } from '../api-keys/repo.js';
import type { ApiKeyUsage } from '../api-keys/usage.js';
import type { Principal } from './principal.js';
import { verifyToken } from './tokens.js';

/** What resolving a credential needs: the database, the JWT key and the key-usage stamps. */
export type CredentialContext = { db: Knex; jwtKey: Uint8Array; apiKeyUsage: ApiKeyUsage };

/** Resolves a bearer credential (JWT or `nc_live_` key) to a principal, or null when it is not valid. */
export async function principalFromBearer(deps: CredentialContext, credential: string): Promise<Principal | null> {
  if (credential.startsWith(API_KEY_PREFIX)) {
    const key = await findActiveKey(deps.db, credential);
    if (!key) return null;
    deps.apiKeyUsage.touch(key.id);
    return { kind: 'api_key', accountId: key.account_id, keyId: key.id, permissions: key.permissions };
  }
  const claims = await verifyToken(deps.jwtKey, credential);
  if (!claims) return null;
  // The user is re-read on every request so a deleted agent's token, or one issued before their password
  // or role changed, stops working at once.
  const user = await findUserById(deps.db, claims.userId).catch(() => undefined);
  if (!user || user.account_id !== claims.accountId || user.token_version !== claims.tokenVersion) return null;
  return {
    kind: 'user',
    accountId: user.account_id,
    userId: user.id,
    role: user.role,
    isInstanceAdmin: user.is_instance_admin,
  };
}

/** Whether a bearer credential is an API key (rather than a user's JWT). */
export const isApiKey = (credential: string) => credential.startsWith(API_KEY_PREFIX);
