import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const FORMAT = 'v1';

/**
 * AES-256-GCM: `v1.<iv>.<ciphertext>.<tag>`, each base64url. The additional data binds a ciphertext to
 * where it belongs (an account, a secret's name): one copied elsewhere does not open.
 */
export function seal(key: Buffer, additionalData: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(additionalData));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, iv, ciphertext, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Throws when the key or the additional data is not the one sealed with, or the text was altered. */
export function unseal(key: Buffer, additionalData: string, sealed: string): string {
  const [format, iv, ciphertext, tag] = sealed.split('.');
  if (format !== FORMAT || !iv || !ciphertext || !tag) throw new Error('Unrecognised sealed secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(additionalData));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
