import fs from 'node:fs/promises';
import path from 'node:path';
import type { SecretBackend } from './store.js';

export const SECRETS_FILE = 'secrets.json';

/** Secrets in `<dataDir>/secrets.json`, readable by the owner only (0600), written atomically. */
export function fileBackend(dataDir: string): SecretBackend {
  const file = path.join(dataDir, SECRETS_FILE);
  const readAll = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
  };
  return {
    name: 'file',
    get: async (key) => {
      await fs.access(dataDir, fs.constants.W_OK);
      return (await readAll())[key] ?? null;
    },
    set: async (key, value) => {
      const next = { ...(await readAll()), [key]: value };
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
      await fs.rename(tmp, file);
      await fs.chmod(file, 0o600);
    },
  };
}
