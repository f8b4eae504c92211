import { hkdfSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { seal, unseal } from '../secrets/seal.js';
import { plaintextIdentitySecrets, replaceIdentitySecret } from './repo.js';

/** The key websites' identity secrets are sealed with: derived from the instance master key, for this use only. */
export const deriveIdentitySecretKey = (masterKey: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'nova-identity-secrets', 32));

/** The additional data binds a sealed secret to its account: a row copied into another account does not open. */
const aad = (accountId: number) => `nova-identity-secret:${accountId}`;

/** 256 random bits as hex (a key any language's HMAC takes as a plain string), sealed for storing. */
export function newSealedIdentitySecret(key: Buffer, accountId: number): string {
  return seal(key, aad(accountId), randomBytes(32).toString('hex'));
}

/** A website's identity secret as its owner's server uses it, from the stored (sealed) form. */
export function openIdentitySecret(key: Buffer, domain: { account_id: number; identity_secret: string }): string {
  // Written before secrets were sealed and not sealed yet by `sealStoredIdentitySecrets`: stored as is.
  if (/^[0-9a-f]{64}$/.test(domain.identity_secret)) return domain.identity_secret;
  return unseal(key, aad(domain.account_id), domain.identity_secret);
}

/** Seals identity secrets stored in clear (by releases before they were sealed); run when the server starts. */
export async function sealStoredIdentitySecrets(db: Knex, key: Buffer): Promise<number> {
  const rows = await plaintextIdentitySecrets(db);
  for (const row of rows) await replaceIdentitySecret(db, row.id, row.identity_secret, seal(key, aad(row.account_id), row.identity_secret));
  return rows.length;
}
