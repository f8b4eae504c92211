import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { SecretBackend } from '../secrets/backend.js';
import { seal, unseal } from '../secrets/seal.js';
import { getOrCreateSecret } from '../secrets/store.js';

const MASTER_KEY_NAME = 'webhook-master-key';

/** The instance's webhook master key (AES-256), read from the secret store once when the server starts. */
export async function loadWebhookMasterKey(secrets: SecretBackend): Promise<Buffer> {
  // Hashing gives exactly 32 bytes whatever the stored secret's encoding.
  return createHash('sha256')
    .update(await getOrCreateSecret(secrets, MASTER_KEY_NAME))
    .digest();
}

/** The additional data binds a ciphertext to its account: a row copied into another account does not decrypt. */
const aad = (accountId: number) => `nova-webhook-secret:${accountId}`;

export const encryptSecret = (key: Buffer, accountId: number, secret: string): string => seal(key, aad(accountId), secret);

export const decryptSecret = (key: Buffer, accountId: number, stored: string): string => unseal(key, aad(accountId), stored);

export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** `X-Nova-Signature`: `sha256=` + hex HMAC-SHA256, keyed by the webhook secret, of `<timestamp>.<raw body>`. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
