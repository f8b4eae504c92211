import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { SecretBackend } from '../secrets/backend.js';
import { getOrCreateSecret } from '../secrets/store.js';

const MASTER_KEY_NAME = 'webhook-master-key';
const FORMAT = 'v1';

/** The instance's webhook master key (AES-256), read from the secret store once when the server starts. */
export async function loadWebhookMasterKey(secrets: SecretBackend): Promise<Buffer> {
  // Hashing gives exactly 32 bytes whatever the stored secret's encoding.
  return createHash('sha256')
    .update(await getOrCreateSecret(secrets, MASTER_KEY_NAME))
    .digest();
}

/** The additional data binds a ciphertext to its account: a row copied into another account does not decrypt. */
const aad = (accountId: number) => Buffer.from(`nova-webhook-secret:${accountId}`);

/** AES-256-GCM: `v1.<iv>.<ciphertext>.<tag>`, each base64url. */
export function encryptSecret(key: Buffer, accountId: number, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(accountId));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function decryptSecret(key: Buffer, accountId: number, stored: string): string {
  const [format, iv, ciphertext, tag] = stored.split('.');
  if (format !== FORMAT || !iv || !ciphertext || !tag) throw new Error('Unrecognised webhook secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(aad(accountId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** `X-Nova-Signature`: `sha256=` + hex HMAC-SHA256, keyed by the webhook secret, of `<timestamp>.<raw body>`. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
