import { createHash, randomBytes } from 'node:crypto';
import { keychainBackend } from './keychain.js';
import type { SecretBackend, SecretBackendName } from './backend.js';
import { fileBackend } from './file.js';

export type SecretStoreInfo = { backend: SecretBackendName; tried: { backend: SecretBackendName; error: string }[] };

export type SecretStoreOptions = {
  dataDir: string;
  mode: 'auto' | 'keychain' | 'file';
  /** Backends tried after the keychain and before the file (the desktop shell adds safeStorage). */
  extraBackends?: SecretBackend[];
};

/**
 * Picks the first backend that answers, in order keychain → extra backends → file. The file always
 * works, so the server starts on a machine without a keychain; `info` says which one was used.
 */
export async function openSecretStore(options: SecretStoreOptions): Promise<{ store: SecretBackend; info: SecretStoreInfo }> {
  const scope = createHash('sha256').update(options.dataDir).digest('hex').slice(0, 12);
  const candidates: SecretBackend[] = [];
  if (options.mode !== 'file') candidates.push(keychainBackend(scope), ...(options.extraBackends ?? []));
  candidates.push(fileBackend(options.dataDir));
  const tried: SecretStoreInfo['tried'] = [];
  for (const backend of candidates) {
    try {
      await backend.get('probe');
      return { store: backend, info: { backend: backend.name, tried } };
    } catch (err) {
      tried.push({ backend: backend.name, error: (err as Error).message });
      if (options.mode === 'keychain') throw new Error(`OS keychain unavailable: ${(err as Error).message}`);
    }
  }
  throw new Error('No secret store is usable'); // unreachable: the file backend throws only on an unwritable data dir
}

/** Reads a secret, generating and storing a random one (base64url) on first use. */
export async function getOrCreateSecret(store: SecretBackend, key: string, bytes = 32): Promise<string> {
  const existing = await store.get(key);
  if (existing) return existing;
  const value = randomBytes(bytes).toString('base64url');
  await store.set(key, value);
  return value;
}
