import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../../test/helpers/database.js';
import { signUp, TestServer } from '../../test/helpers/server.js';
import { connectDatabase } from '../db/knex.js';
import { migrationSource } from '../db/migrations/index.js';
import { verifyBackupFile } from './archive.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((t) => t.close()));
});

/** The production migrations plus a release's new ones: what the next version would run. */
function withNewMigrations(added: Record<string, Knex.Migration>): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => [...(await migrationSource.getMigrations([])), ...Object.keys(added)].sort(),
    getMigrationName: (name) => name,
    getMigration: async (name) => added[name] ?? migrationSource.getMigration(name),
  };
}

const addsTableAndColumn: Knex.Migration = {
  up: async (knex) => {
    await knex.schema.createTable('upgrade_probe', (t) => t.increments('id'));
    await knex.schema.alterTable('accounts', (t) => t.string('probe'));
    await knex('accounts').update({ probe: 'changed' });
  },
  down: async () => undefined,
};
const fails: Knex.Migration = {
  up: async () => {
    throw new Error('deliberate failure in migration 901');
  },
  down: async () => undefined,
};

/** A connection of the test's own to the server's database (closed by the test). */
const openDatabase = (t: TestServer) => connectDatabase({ dataDir: t.dataDir, databaseUrl: t.server.config.databaseUrl });

const backupFiles = (t: TestServer) => {
  const dir = path.join(t.dataDir, 'backups');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('upgrading a database that holds data', () => {
  it('backs up first; a failing migration leaves the database as it was and names the backup', async () => {
    const t = await TestServer.start();
    servers.push(t);
    const { token } = await signUp(t);
    expect(backupFiles(t)).toEqual([]); // a new, empty database gets no backup before its first migrations
    await t.server.close();

    const failing = withNewMigrations({ '900_upgrade_probe': addsTableAndColumn, '901_fails': fails });
    const latest = (await migrationSource.getMigrations([])).at(-1);
    const error = await t.restartOn({ migrationSource: failing }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toContain('deliberate failure in migration 901');
    const [backup] = backupFiles(t);
    if (onPostgres) {
      expect(backup).toBeUndefined(); // pg_dump is PostgreSQL's backup
    } else {
      expect(backup).toMatch(/-pre-upgrade\.ncbackup$/);
      expect(error?.message).toContain('left as it was');
      expect(error?.message).toContain(path.join(t.dataDir, 'backups', backup!));
      expect(await verifyBackupFile(path.join(t.dataDir, 'backups', backup!), undefined)).toMatchObject({
        kind: 'pre_upgrade',
        schema: latest,
        database: 'sqlite',
      });
    }

    // Neither new migration left a trace: no table, no column, no changed row, no record, no lock held.
    const db = openDatabase(t);
    try {
      expect(await db.schema.hasTable('upgrade_probe')).toBe(false);
      expect(await db.schema.hasColumn('accounts', 'probe')).toBe(false);
      const applied = (await db('knex_migrations').select('name')).map((row: { name: string }) => row.name);
      expect(applied.at(-1)).toBe(latest);
      expect(Number((await db('knex_migrations_lock').first('is_locked')).is_locked)).toBe(0);
    } finally {
      await db.destroy();
    }

    // Back on the version that ran before: the console lists the backup the failed upgrade took.
    const listed = async () => (await t.get('/nc-api/v1/instance/backups', token)).body.data as { kind: string; filename: string }[];
    await t.restartOn({ migrationSource });
    expect(await listed()).toEqual(onPostgres ? [] : [expect.objectContaining({ kind: 'pre_upgrade', filename: backup, status: 'ok' })]);

    await t.server.close();

    // The version that works: it starts, and lists the backup it took first above the earlier one.
    await t.restartOn({ migrationSource: withNewMigrations({ '900_upgrade_probe': addsTableAndColumn }) });
    expect((await t.get('/nc-api/v1/account/status', token)).status).toBe(200);
    const afterUpgrade = await listed();
    expect(afterUpgrade.map((b) => b.kind)).toEqual(onPostgres ? [] : ['pre_upgrade', 'pre_upgrade']);
    if (!onPostgres) expect(afterUpgrade[1]!.filename).toBe(backup);
  });
});
