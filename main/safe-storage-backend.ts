import path from 'node:path';
import { ownerOnlyJsonFile } from '../server/secrets/file.js';
import type { SecretBackend } from '../server/secrets/backend.js';
import type { SafeStorage } from './electron-api.js';

export const SAFE_STORAGE_FILE = 'secrets.safe-storage.json';

/**
 * Secrets encrypted by Electron's safeStorage (DPAPI on Windows, the login keychain's key on macOS,
 * kwallet/libsecret's key on Linux), kept as base64 blobs in a 0600 file under the data dir. Used when keytar
 * cannot reach a keychain. Linux's 'basic_text' mode encrypts with a hard-coded key, which protects nothing
 * more than the plain 0600 file, so it counts as unavailable and the chain honestly falls through to 'file'.
 */
export function safeStorageBackend(safeStorage: SafeStorage, dataDir: string): SecretBackend {
  const file = path.join(dataDir, SAFE_STORAGE_FILE);

  const assertAvailable = () => {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('safeStorage encryption is not available');
    const selected = safeStorage.getSelectedStorageBackend?.();
    if (selected === 'basic_text' || selected === 'unknown') throw new Error(`safeStorage has no OS key store (${selected})`);
  };

  const store = ownerOnlyJsonFile(file);

  return {
    name: 'safe_storage',
    get: async (key) => {
      assertAvailable();
      const blob = (await store.read())[key];
      if (blob === undefined) return null;
      try {
        return safeStorage.decryptString(Buffer.from(blob, 'base64'));
      } catch {
        // Never mint a new secret over an unreadable one: webhook secrets encrypted under it would be lost.
        throw new Error(
          `${file} cannot be decrypted with this user's OS key (copied from another machine or user?); ` +
            'remove it to start with new secrets (everyone signs in again)',
        );
      }
    },
    set: async (key, value) => {
      assertAvailable();
      await store.write({ ...(await store.read()), [key]: safeStorage.encryptString(value).toString('base64') });
    },
  };
}

/** How the tray and the console name each store. */
export const SECRET_STORE_LABELS: Record<SecretBackend['name'], string> = {
  keychain: 'OS keychain',
  safe_storage: 'Electron safeStorage (encrypted file)',
  file: 'file readable only by you (0600)',
  database: 'the database, sealed with NOVA_SECRET_KEY',
};
