import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SECRETS_FILE } from '../server/secrets/file.js';
import { SAFE_STORAGE_FILE, safeStorageBackend } from './safe-storage-backend.js';
import { ServerLifecycle } from './server-lifecycle.js';
import { fakeSafeStorage } from './testing/fake-safe-storage.js';

// The OS keychain is replaced by a switchable in-memory one: whether keytar answers on a given machine
// (libsecret built? D-Bus session?) must not decide which branch of the chain these tests exercise.
const keychain = vi.hoisted(() => ({ works: false, entries: new Map<string, string>() }));
vi.mock('../server/secrets/keychain.js', () => ({
  keychainBackend: () => {
    const check = () => {
      if (!keychain.works) throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
    };
    return {
      name: 'keychain',
      get: async (key: string) => (check(), keychain.entries.get(key) ?? null),
      set: async (key: string, value: string) => (check(), void keychain.entries.set(key, value)),
    };
  },
}));

let dataDir: string;
let lifecycle: ServerLifecycle | undefined;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-desktop-secrets-'));
  keychain.works = false;
  keychain.entries.clear();
});

afterEach(async () => {
  await lifecycle?.stop();
  lifecycle = undefined;
  await fs.rm(dataDir, { recursive: true, force: true });
});

function startWith(safeStorage: ReturnType<typeof fakeSafeStorage>) {
  lifecycle = new ServerLifecycle({
    dataDir,
    env: {},
    logger: pino({ level: 'silent' }),
    secretBackends: [safeStorageBackend(safeStorage, dataDir)],
  });
  return lifecycle.start(false, 0);
}

async function health(url: string) {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; secret_store: string } };
}

async function signUpToken(url: string): Promise<string> {
  const res = await fetch(`${url}/nc-api/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Corner Shop', email: 'owner@corner.test', password: 'correct horse battery' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const statusWith = async (url: string, token: string) =>
  (await fetch(`${url}/nc-api/v1/account/status`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('secret storage chain: keychain → safeStorage → 0600 file', () => {
  it('uses the OS keychain when it answers, and writes no secret file', async () => {
    keychain.works = true;
    const status = await startWith(fakeSafeStorage({ available: true }));
    expect(status.state).toBe('running');
    expect(status.secretStore).toBe('keychain');
    expect((await health(status.url!)).body).toMatchObject({ status: 'ok', secret_store: 'keychain' });
    expect(keychain.entries.get('jwt-secret')).toMatch(/^[\w-]{40,}$/);
    await expect(fs.access(path.join(dataDir, SECRETS_FILE))).rejects.toThrow();
    await expect(fs.access(path.join(dataDir, SAFE_STORAGE_FILE))).rejects.toThrow();
  });

  it('falls back to safeStorage when the keychain fails: encrypted blobs in a 0600 file, readable after a restart', async () => {
    const safeStorage = fakeSafeStorage({ available: true });
    const first = await startWith(safeStorage);
    expect(first.secretStore).toBe('safe_storage');
    expect((await health(first.url!)).body.secret_store).toBe('safe_storage');
    const token = await signUpToken(first.url!);

    const file = path.join(dataDir, SAFE_STORAGE_FILE);
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
    const plainSecret = safeStorage.decryptString(Buffer.from(stored['jwt-secret']!, 'base64'));
    expect(plainSecret.length).toBeGreaterThanOrEqual(40);
    expect(await fs.readFile(file, 'utf8')).not.toContain(plainSecret);
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await expect(fs.access(path.join(dataDir, SECRETS_FILE))).rejects.toThrow();

    // Same data dir, same OS key: the decrypted JWT secret is the same, so the token issued before still works.
    await lifecycle!.stop();
    const second = await startWith(safeStorage);
    expect(second.secretStore).toBe('safe_storage');
    expect(await statusWith(second.url!, token)).toBe(200);
  });

  it('refuses to start on a safeStorage blob encrypted under another key, rather than minting a new secret', async () => {
    await startWith(fakeSafeStorage({ available: true }));
    await lifecycle!.stop();
    const status = await startWith(fakeSafeStorage({ available: true }));
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/cannot be decrypted with this user's OS key/);
  });

  it('falls back to the 0600 file when safeStorage has no encryption either', async () => {
    const status = await startWith(fakeSafeStorage({ available: false }));
    expect(status.secretStore).toBe('file');
    expect((await health(status.url!)).body.secret_store).toBe('file');
    const file = path.join(dataDir, SECRETS_FILE);
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await expect(fs.access(path.join(dataDir, SAFE_STORAGE_FILE))).rejects.toThrow();
  });

  it("treats Linux safeStorage's basic_text mode (a hard-coded key) as unavailable", async () => {
    const status = await startWith(fakeSafeStorage({ available: true, backend: 'basic_text' }));
    expect(status.secretStore).toBe('file');
    expect((await health(status.url!)).body.secret_store).toBe('file');
  });
});
