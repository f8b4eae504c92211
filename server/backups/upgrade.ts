import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { isPostgres } from '../db/knex.js';
import type { BackupRow } from './repo.js';
import { backupFilename, takeBackup, type BackupSource } from './take.js';

export type UpgradeOptions = {
  db: Knex;
  log: Logger;
  now: () => Date;
  /** NOVA_DATA_DIR/backups. */
  dir: string;
  source: BackupSource;
  /** The migrations to run: the production list, or a test's (the seam for a migration that fails). */
  migrationSource?: Knex.MigrationSource<unknown>;
};

async function hasData(db: Knex): Promise<boolean> {
  return (await db.schema.hasTable('accounts')) && Boolean(await db('accounts').first('id'));
}

/**
 * Runs the pending migrations; on a SQLite database that already holds data, first writes a backup
 * (kind `pre_upgrade`), so a release that goes wrong can be undone. The pending migrations run in one
 * transaction (knex does so when each of them is transactional, as every migration from 017 on is), so a
 * failure leaves the database as it was, and the error names the backup. Answers the backup's row to record
 * once the backups table exists.
 */
export async function migrateWithBackup(options: UpgradeOptions): Promise<Omit<BackupRow, 'id'> | undefined> {
  const { db, log, now, dir, source } = options;
  const config = options.migrationSource ? { migrationSource: options.migrationSource } : {};
  const [, pending] = (await db.migrate.list(config)) as [unknown[], unknown[]];
  let taken: Omit<BackupRow, 'id'> | undefined;
  if (pending.length && !isPostgres(db) && (await hasData(db))) {
    const at = now();
    const filename = backupFilename('pre_upgrade', at);
    const { size } = await takeBackup(source, path.join(dir, filename), 'pre_upgrade', at);
    taken = {
      filename,
      kind: 'pre_upgrade',
      status: 'ok',
      size,
      encrypted: Boolean(source.passphrase),
      includes_database: true,
      error: null,
      created_at: at.toISOString(),
    };
    log.info({ backup: filename, pending: pending.length }, 'backup taken before upgrading the database');
  } else if (pending.length && isPostgres(db) && (await hasData(db))) {
    log.info({ pending: pending.length }, 'upgrading the database; on PostgreSQL, pg_dump is its backup');
  }
  try {
    await db.migrate.latest(config);
  } catch (err) {
    const restore = taken
      ? ` The database was left as it was before the upgrade; a backup taken just before it is ${path.join(dir, taken.filename)} ` +
        `(restore it with: npm run restore -- "${path.join(dir, taken.filename)}" --force).`
      : '';
    throw new Error(`The database upgrade failed: ${(err as Error).message}.${restore}`, { cause: err });
  }
  return taken;
}
