import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { databaseBackend, hasSealedSecrets, INSTANCE_SECRETS } from './database.js';
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

export type InstanceSecretOptions = SecretStoreOptions & { db: Knex; secretKey: string | undefined };

/**
 * Where this server's instance secrets live. With NOVA_SECRET_KEY: in the database, sealed with it and
 * shared by every server of that database; the first server to start with the key carries over the secrets
 * it kept on this machine, so its tokens and stored webhook secrets stay valid. Without it: on this machine
 * (openSecretStore), as on one box; but a database whose secrets are sealed refuses such a server, which
 * would sign tokens no other server accepts.
 */
export async function openInstanceSecrets(options: InstanceSecretOptions): Promise<{ store: SecretBackend; info: SecretStoreInfo }> {
  const { db, secretKey } = options;
  if (!secretKey) {
    if (await hasSealedSecrets(db))
      throw new Error('The instance secrets of this database are sealed with NOVA_SECRET_KEY: set the same NOVA_SECRET_KEY on this server');
    return openSecretStore(options);
  }
  const sealed = await databaseBackend(db, secretKey);
  const missing: string[] = [];
  // Reading each one also proves the key opens them.
  for (const name of INSTANCE_SECRETS) if ((await sealed.get(name)) === null) missing.push(name);
  if (missing.length) {
    const local = await openSecretStore(options);
    for (const name of missing) {
      const value = await local.store.get(name);
      if (value) await sealed.set(name, value);
    }
  }
  return { store: sealed, info: { backend: 'database', tried: [] } };
}

/**
 * Reads a secret, generating and storing a random one (base64url) on first use. It is read back after
 * storing: in the database the first of several servers starting at once wins, and all use its value.
 */
export async function getOrCreateSecret(store: SecretBackend, key: string, bytes = 32): Promise<string> {
  const existing = await store.get(key);
  if (existing) return existing;
  await store.set(key, randomBytes(bytes).toString('base64url'));
  const stored = await store.get(key);
  if (!stored) throw new Error(`The secret store (${store.name}) did not keep ${key}`);
  return stored;
}
