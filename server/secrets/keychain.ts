import type { SecretBackend } from './backend.js';

const SERVICE = 'nova-chat-desktop';
const PROBE_TIMEOUT_MS = 2000;

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
};

let keytarModule: Promise<Keytar> | undefined;

/** keytar is optional: it is absent where libsecret could not be built, and then this backend fails its probe. */
function loadKeytar(): Promise<Keytar> {
  const specifier = 'keytar'; // an optional dependency: resolved at run time, not by the type checker
  keytarModule ??= import(specifier).then((m: { default?: Keytar } & Keytar) => m.default ?? m);
  return keytarModule;
}

/** A keychain that never answers (no D-Bus session) must not hang start-up. */
function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out`)), PROBE_TIMEOUT_MS);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err instanceof Error ? err : new Error(String(err)))),
    );
  });
}

/** Secrets are namespaced by `scope` (a hash of the data dir) so two instances never share one. */
export function keychainBackend(scope: string): SecretBackend {
  const account = (key: string) => `${key}@${scope}`;
  return {
    name: 'keychain',
    get: async (key) =>
      withTimeout(
        loadKeytar().then((k) => k.getPassword(SERVICE, account(key))),
        'keychain read',
      ),
    set: async (key, value) =>
      withTimeout(
        loadKeytar().then((k) => k.setPassword(SERVICE, account(key), value)),
        'keychain write',
      ),
  };
}
