import fs from 'node:fs';
import path from 'node:path';
import { SQLITE_FILE } from './db/knex.js';
import { VECTORS_DIR } from './retrieval/service.js';
import { SECRETS_FILE } from './secrets/file.js';
import { BACKUPS_DIR } from './backups/take.js';

/** Folders of the data dir the server keeps files in; `backups` is where instance backups are written. */
const OWN_FOLDERS = [VECTORS_DIR, BACKUPS_DIR];
/** Files at the top of the data dir: the database with its WAL, shared-memory and rollback files, and the secrets file. */
const OWN_FILES = [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`, `${SQLITE_FILE}-journal`, SECRETS_FILE];

const ownedByMe = (stat: fs.Stats) => process.getuid === undefined || stat.uid === process.getuid();

function chmodIfPresent(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Makes `NOVA_DATA_DIR` readable by this user only, whatever state it was found in (a folder made by
 * hand with 0755, files from an older version or a restore): the folder 0700 when this user owns it
 * (a shared folder someone else owns is left alone), and every file the server keeps there 0600, its
 * own folders 0700. The SQLite file is created 0600 before SQLite opens it: SQLite gives its WAL and
 * shared-memory files the database file's permissions, so they are born owner-only too.
 */
export function prepareDataDir(dataDir: string, options: { sqlite: boolean }): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ownedByMe(fs.statSync(dataDir))) fs.chmodSync(dataDir, 0o700);
  if (options.sqlite) fs.closeSync(fs.openSync(path.join(dataDir, SQLITE_FILE), 'a', 0o600));
  for (const file of OWN_FILES) chmodIfPresent(path.join(dataDir, file), 0o600);
  for (const folder of OWN_FOLDERS) {
    const dir = path.join(dataDir, folder);
    if (!fs.existsSync(dir)) continue;
    fs.chmodSync(dir, 0o700);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) if (entry.isFile()) fs.chmodSync(path.join(dir, entry.name), 0o600);
  }
}
