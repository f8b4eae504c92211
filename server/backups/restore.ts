import fsp from 'node:fs/promises';
import path from 'node:path';
import { prepareDataDir } from '../data-dir.js';
import { SQLITE_FILE } from '../db/knex.js';
import { migrationSource } from '../db/migrations/index.js';
import { VECTORS_DIR } from '../retrieval/service.js';
import { openSecretStore, type SecretStoreOptions } from '../secrets/store.js';
import { extractBackupFile, verifyBackupFile } from './archive.js';
import { BackupFileError, type BackupHeader } from './format.js';
import { BACKUPS_DIR } from './take.js';

/** Why a restore did not start: the folder holds an instance, or the backup is newer than this version. */
export class RestoreRefused extends Error {}

export type RestoreOptions = {
  file: string;
  passphrase: string | undefined;
  /** Restore over a data dir that already holds files (its database, secrets and indexes are replaced). */
  force: boolean;
} & Pick<SecretStoreOptions, 'dataDir' | 'mode' | 'extraBackends'>;

/** What a data dir holds besides its backups folder (which a restore leaves alone). */
async function contentsOf(dataDir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dataDir)).filter((name) => name !== BACKUPS_DIR);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Restores a backup into a data dir. The whole file is checked first (integrity, passphrase, a schema this
 * version knows), before anything is written; then it is unpacked beside the data, the secrets go into the
 * secret store the server will read there, and the database replaces the old one (with its WAL and the
 * vector indexes, rebuilt from the database's stored vectors at the next start).
 */
export async function restoreBackup(options: RestoreOptions): Promise<BackupHeader> {
  const { file, passphrase, dataDir } = options;
  const header = await verifyBackupFile(file, passphrase);
  const known = await migrationSource.getMigrations([]);
  if (header.schema && !known.includes(header.schema))
    throw new RestoreRefused(
      `This backup was written by a newer version of Nova Chat (database schema ${header.schema}); update Nova Chat first.`,
    );
  const present = await contentsOf(dataDir);
  if (present.length && !options.force)
    throw new RestoreRefused(
      `${dataDir} is not empty (${present.slice(0, 3).join(', ')}…); restore into an empty folder, or pass --force to replace it.`,
    );

  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const staging = await fsp.mkdtemp(path.join(dataDir, '.restore-'));
  try {
    const { manifest, databaseFile } = await extractBackupFile(file, passphrase, staging);
    const { store } = await openSecretStore(options);
    for (const [name, value] of Object.entries(manifest.secrets)) await store.set(name, value);
    if (databaseFile) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) await fsp.rm(path.join(dataDir, SQLITE_FILE + suffix), { force: true });
      await fsp.rm(path.join(dataDir, VECTORS_DIR), { recursive: true, force: true });
      await fsp.rename(databaseFile, path.join(dataDir, SQLITE_FILE));
    }
  } catch (err) {
    throw err instanceof BackupFileError ? err : new Error(`The restore failed: ${(err as Error).message}`, { cause: err });
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
  prepareDataDir(dataDir, { sqlite: header.database === 'sqlite' });
  return header;
}
