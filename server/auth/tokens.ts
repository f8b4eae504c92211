import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'nova-chat-desktop';

/** What a signed-in user's JWT says: who they are, which account they signed in to, and the user's token version then. */
export type TokenClaims = { userId: number; accountId: unknown; tokenVersion: number };

export type TokenKeys = { jwtKey: Uint8Array; config: { jwtTtlSeconds: number } };

export async function issueToken(keys: TokenKeys, user: { id: number; account_id: number; token_version: number }): Promise<string> {
  return new SignJWT({ acc: user.account_id, ver: user.token_version })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(user.id))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + keys.config.jwtTtlSeconds)
    .sign(keys.jwtKey);
}

/** The claims of a token this server issued and that has not expired; null for anything else. */
export async function verifyToken(jwtKey: Uint8Array, token: string): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, jwtKey, { issuer: ISSUER, algorithms: ['HS256'] });
    // Tokens issued before versions existed carry none: version 0, until the user's first change.
    return { userId: Number(payload.sub), accountId: payload.acc, tokenVersion: payload.ver === undefined ? 0 : Number(payload.ver) };
  } catch {
    return null;
  }
}
