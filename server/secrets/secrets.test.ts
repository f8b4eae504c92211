import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { SECRETS_FILE } from './file.js';
import type { SecretBackend } from './backend.js';
import { getOrCreateSecret, openSecretStore } from './store.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-secrets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for a backend the desktop shell adds (safeStorage), kept in memory. */
function memoryBackend(): SecretBackend & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    name: 'safe_storage',
    values,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
  };
}

const brokenBackend: SecretBackend = {
  name: 'safe_storage',
  get: async () => {
    throw new Error('encryption is not available');
  },
  set: async () => {
    throw new Error('encryption is not available');
  },
};

describe('the secret store', () => {
  it('keeps a generated secret in a 0600 file and returns the same one on the next start', async () => {
    const dataDir = tempDir();
    const first = await openSecretStore({ dataDir, mode: 'file' });
    expect(first.info.backend).toBe('file');
    const secret = await getOrCreateSecret(first.store, 'jwt-secret');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    const file = path.join(dataDir, SECRETS_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const second = await openSecretStore({ dataDir, mode: 'file' });
    expect(await getOrCreateSecret(second.store, 'jwt-secret')).toBe(secret);
    expect(await getOrCreateSecret(second.store, 'other')).not.toBe(secret);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual(['jwt-secret', 'other']);
  });

  it('tightens a secrets file that was left readable by others', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, SECRETS_FILE), JSON.stringify({ old: 'value' }), { mode: 0o644 });
    const { store } = await openSecretStore({ dataDir, mode: 'file' });
    await getOrCreateSecret(store, 'jwt-secret');
    expect(fs.statSync(path.join(dataDir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(await store.get('old')).toBe('value');
  });

  it('falls through backends that do not answer and says which one it used', async () => {
    const dataDir = tempDir();
    const { info } = await openSecretStore({ dataDir, mode: 'auto', extraBackends: [brokenBackend] });
    // Where an OS keychain answers (a desktop session) it wins; otherwise the broken backend is skipped for the file.
    if (info.backend === 'file') {
      expect(info.tried.map((t) => t.backend)).toEqual(['keychain', 'safe_storage']);
      expect(info.tried[1]!.error).toContain('encryption is not available');
    } else {
      expect(info.backend).toBe('keychain');
    }
  });

  it('uses an extra backend that answers before the file, and never writes the file then', async () => {
    const dataDir = tempDir();
    const memory = memoryBackend();
    const { store, info } = await openSecretStore({ dataDir, mode: 'auto', extraBackends: [memory] });
    if (info.backend === 'keychain') return; // a real keychain answered first: nothing to check about the fallback order
    expect(info.backend).toBe('safe_storage');
    const secret = await getOrCreateSecret(store, 'jwt-secret');
    expect(memory.values.get('jwt-secret')).toBe(secret);
    expect(fs.existsSync(path.join(dataDir, SECRETS_FILE))).toBe(false);
  });

  it('refuses to start in keychain-only mode when no keychain answers', async () => {
    const dataDir = tempDir();
    const attempt = openSecretStore({ dataDir, mode: 'keychain' });
    const outcome = await attempt.then(
      (r) => r.info.backend,
      (err: Error) => err.message,
    );
    expect(outcome === 'keychain' || /OS keychain unavailable/.test(outcome)).toBe(true);
  });
});

describe('a server on the default secret store', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('starts whether or not a keychain answers, says which store it used, and keeps tokens valid across a restart', async () => {
    t = await TestServer.start({ secretStore: 'auto' });
    const health = await t.get('/health');
    expect(['keychain', 'file']).toContain(health.body.secret_store);
    if (health.body.secret_store === 'file') {
      expect(fs.statSync(path.join(t.dataDir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
    }
    const { token } = await signUp(t);
    await t.restart();
    expect((await t.get('/nc-api/v1/account/status', token)).status).toBe(200);
  });
});
