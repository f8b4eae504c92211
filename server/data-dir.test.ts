import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signUp, TestServer } from '../test/helpers/server.js';
import { onPostgres } from '../test/helpers/database.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Every file and folder under `root` (relative path → permission bits). */
function modesUnder(root: string, rel = ''): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const name = path.join(rel, entry.name);
    out[name] = modeOf(path.join(root, name));
    if (entry.isDirectory()) Object.assign(out, modesUnder(root, name));
  }
  return out;
}

/** Entries whose mode is not owner-only (0700 for folders, 0600 for files). */
const looseIn = (root: string) =>
  Object.entries(modesUnder(root)).filter(([name, mode]) => mode !== (fs.statSync(path.join(root, name)).isDirectory() ? 0o700 : 0o600));

/**
 * Starts a server on `dataDir` and writes a KB item; once its vector index is saved, `check` runs while
 * the server is up (the WAL and shared-memory files exist only then), and again after it stopped.
 */
async function runOn(dataDir: string, check: () => void) {
  const t = await TestServer.start({ dataDir });
  cleanups.push(() => t.close());
  const { token, accountId } = await signUp(t);
  expect((await t.post('/nc-api/v1/knowledge_base/items', { title: 'Opening hours?', content: '9 to 5.' }, token)).status).toBe(201);
  await expect.poll(() => fs.existsSync(path.join(dataDir, 'vectors', `account-${accountId}.json`)), { timeout: 10_000 }).toBe(true);
  if (!onPostgres) expect(fs.existsSync(path.join(dataDir, 'nova-chat.sqlite-wal'))).toBe(true);
  check();
  await t.server.close();
  check();
}

describe.skipIf(process.platform === 'win32')('the data folder on disk', () => {
  it('tightens a folder that already exists with 0755, and files left world-readable, to owner-only', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-modes-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    fs.chmodSync(dataDir, 0o755);
    // What an older version, a copy or a restore may have left behind.
    for (const [file, body] of [
      ['nova-chat.sqlite', ''],
      ['secrets.json', '{}'],
      ['vectors/account-999.hnsw', 'stale'],
    ] as const) {
      fs.mkdirSync(path.dirname(path.join(dataDir, file)), { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(dataDir, file), body, { mode: 0o644 });
    }
    fs.chmodSync(path.join(dataDir, 'vectors'), 0o755);

    await runOn(dataDir, () => {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(looseIn(dataDir), 'files or folders readable by others').toEqual([]);
    });
    expect(modeOf(path.join(dataDir, 'vectors/account-999.hnsw'))).toBe(0o600);
  });

  it('creates a new folder, its database, WAL and index files owner-only whatever the umask', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-fresh-'));
    cleanups.push(() => fs.rmSync(parent, { recursive: true, force: true }));
    const dataDir = path.join(parent, 'data');
    const umask = process.umask(0o000); // the most permissive: anything not set explicitly would be 0666/0777
    cleanups.push(() => void process.umask(umask));
    await runOn(dataDir, () => {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(looseIn(dataDir), 'files or folders readable by others').toEqual([]);
    });
  });
});
