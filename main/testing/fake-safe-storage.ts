import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorage } from '../electron-api.js';

/**
 * Stands in for Electron's safeStorage with the same contract: real AES-256-GCM under a key only this
 * object holds (as the OS key store holds Electron's), so a blob decrypts only with the same "OS" and
 * tampering is detected. `backend` mimics Linux's getSelectedStorageBackend().
 */
export function fakeSafeStorage(options: { available: boolean; backend?: string; key?: Buffer }): SafeStorage & { key: Buffer } {
  const key = options.key ?? randomBytes(32);
  return {
    key,
    isEncryptionAvailable: () => options.available,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plainText) {
      if (!options.available) throw new Error('Encryption is not available.');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      if (!options.available) throw new Error('Decryption is not available.');
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
