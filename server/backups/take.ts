import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { SQLITE_FILE } from '../db/knex.js';
import type { SecretBackend } from '../secrets/backend.js';
import { INSTANCE_SECRETS } from '../secrets/database.js';
import { writeBackupFile } from './archive.js';
import type { BackupHeader, BackupKind } from './format.js';
import { snapshotSqlite } from './snapshot.js';

/** Under NOVA_DATA_DIR: where the server writes its backups. */
export const BACKUPS_DIR = 'backups';
export const BACKUP_EXTENSION = '.ncbackup';
/** The database snapshot a backup is being made from, beside it; removed when done (or at the next start). */
const SNAPSHOT_PREFIX = '.snapshot-';

export const backupsDirOf = (dataDir: string) => path.join(dataDir, BACKUPS_DIR);

/** e.g. `nova-chat-2026-12-01T13-45-00.123Z-pre-upgrade.ncbackup`: sortable, and says why it was taken. */
export function backupFilename(kind: BackupKind, at: Date): string {
  return `nova-chat-${at.toISOString().replace(/:/g, '-')}-${kind.replace('_', '-')}${BACKUP_EXTENSION}`;
}

/** The instance secrets a backup carries, read from wherever this server keeps them (never created here). */
export async function readInstanceSecrets(store: SecretBackend): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {};
  for (const name of INSTANCE_SECRETS) {
    const value = await store.get(name);
    if (value) secrets[name] = value;
  }
  return secrets;
}

/** The last migration applied: the schema a backup's database is at. */
export async function currentSchema(db: Knex): Promise<string> {
  if (!(await db.schema.hasTable('knex_migrations'))) return '';
  const row: { name: string } | undefined = await db('knex_migrations').orderBy('id', 'desc').first('name');
  return row?.name ?? '';
}

export type BackupSource = {
  db: Knex;
  /** The live SQLite file; undefined on PostgreSQL (the backup then holds the secrets only). */
  sqliteFile: string | undefined;
  secrets: () => Promise<Record<string, string>>;
  passphrase: string | undefined;
};

/** What this server backs up: its SQLite file (none on PostgreSQL), the secrets `secrets` reads, NOVA_BACKUP_PASSPHRASE. */
export const backupSourceOf = (config: Config, db: Knex, secrets: BackupSource['secrets']): BackupSource => ({
  db,
  sqliteFile: config.databaseUrl ? undefined : path.join(config.dataDir, SQLITE_FILE),
  secrets,
  passphrase: config.backupPassphrase,
});

/**
 * Writes one backup at `target`: a consistent snapshot of the database (snapshot.ts) and the instance
 * secrets, sealed (format.ts) and renamed into place only once complete (archive.ts).
 */
export async function takeBackup(
  source: BackupSource,
  target: string,
  kind: BackupKind,
  at: Date,
): Promise<{ size: number; header: BackupHeader }> {
  const dir = path.dirname(target);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const fields = {
    kind,
    created_at: at.toISOString(),
    schema: await currentSchema(source.db),
    database: source.sqliteFile ? ('sqlite' as const) : ('none' as const),
  };
  const secrets = await source.secrets();
  if (!source.sqliteFile) return writeBackupFile(target, fields, { secrets }, source.passphrase);
  const snapshot = path.join(dir, `${SNAPSHOT_PREFIX}${randomBytes(6).toString('hex')}.sqlite`);
  // SQLite's backup writes into this empty file, made here so the copy is owner-only from its first byte.
  await (await fsp.open(snapshot, 'wx', 0o600)).close();
  try {
    await snapshotSqlite(source.sqliteFile, snapshot);
    return await writeBackupFile(target, fields, { secrets, databaseFile: snapshot }, source.passphrase);
  } finally {
    await fsp.rm(snapshot, { force: true });
  }
}

/** Leftovers of backups a crash or kill cut short: half-written files and their snapshots. */
export async function removeUnfinished(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const unfinished = names.filter((name) => name.endsWith('.partial') || name.startsWith(SNAPSHOT_PREFIX));
  for (const name of unfinished) await fsp.rm(path.join(dir, name), { force: true });
  return unfinished;
}
