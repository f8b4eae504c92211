/** Where a secret lives: the OS keychain, Electron's safeStorage (desktop only) or a 0600 file. */
export type SecretBackendName = 'keychain' | 'safe_storage' | 'file';

export interface SecretBackend {
  name: SecretBackendName;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}
