import fs from 'node:fs/promises';
import path from 'node:path';
import type { SecretBackend } from './backend.js';

export const SECRETS_FILE = 'secrets.json';

/** A JSON map of strings in a file readable by the owner only (0600), replaced atomically on each write. */
export function ownerOnlyJsonFile(file: string) {
  return {
    read: async (): Promise<Record<string, string>> => {
      try {
        return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw err;
      }
    },
    write: async (entries: Record<string, string>): Promise<void> => {
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(entries, null, 2), { mode: 0o600 });
      await fs.rename(tmp, file);
      await fs.chmod(file, 0o600);
    },
  };
}

/** Secrets in plain text in `<dataDir>/secrets.json` (0600): the store that always works. */
export function fileBackend(dataDir: string): SecretBackend {
  const store = ownerOnlyJsonFile(path.join(dataDir, SECRETS_FILE));
  return {
    name: 'file',
    get: async (key) => {
      await fs.access(dataDir, fs.constants.W_OK);
      return (await store.read())[key] ?? null;
    },
    set: async (key, value) => store.write({ ...(await store.read()), [key]: value }),
  };
}
