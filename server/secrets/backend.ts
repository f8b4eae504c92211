/**
 * Where a secret lives: the OS keychain, Electron's safeStorage (desktop only) or a 0600 file on this
 * machine, or the database, sealed with NOVA_SECRET_KEY (shared by every server of that database).
 */
export type SecretBackendName = 'keychain' | 'safe_storage' | 'file' | 'database';

export interface SecretBackend {
  name: SecretBackendName;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}
