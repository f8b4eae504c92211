import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrationSource } from './migrations/index.js';
import { NodeSqliteClient } from './sqlite-client.js';

export const SQLITE_FILE = 'nova-chat.sqlite';

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/**
 * SQLite (default: one file under the data dir) or PostgreSQL when `databaseUrl` is set.
 * SQLite (Node's built-in node:sqlite) runs in WAL mode with foreign keys on, through a single connection so
 * writes are serialised, its statements prepared once (NodeSqliteClient).
 */
export function connectDatabase(options: { dataDir: string; databaseUrl?: string }): Knex {
  if (options.databaseUrl) {
    return knexFactory({
      client: 'pg',
      connection: options.databaseUrl,
      pool: { min: 0, max: 10 },
      migrations: { migrationSource },
    });
  }
  return knexFactory({
    client: NodeSqliteClient,
    connection: { filename: path.join(options.dataDir, SQLITE_FILE) },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
    migrations: { migrationSource },
  });
}

/** Key of the session advisory lock servers take around their migrations (any constant unique to this app). */
const MIGRATION_LOCK = 0x4e4f5642;

/**
 * Runs `upgrade` (the schema's migrations) on one server at a time. Several servers may start at once on
 * one PostgreSQL database (two replicas started together): the first migrates, the others wait and then find
 * nothing left to do. Knex's own lock would make them fail instead ("Migration table is already locked"), and
 * creating its tables at once can too. SQLite has one process.
 */
export async function withMigrationLock<T>(db: Knex, upgrade: () => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return upgrade();
  const connection: unknown = await db.client.acquireConnection();
  try {
    await db.raw('select pg_advisory_lock(?)', [MIGRATION_LOCK]).connection(connection);
    return await upgrade();
  } finally {
    await db
      .raw('select pg_advisory_unlock(?)', [MIGRATION_LOCK])
      .connection(connection)
      .catch(() => undefined);
    await db.client.releaseConnection(connection);
  }
}

export async function migrate(db: Knex): Promise<void> {
  await withMigrationLock(db, () => db.migrate.latest());
}

/** SQL `COUNT(*)` comes back as a number on SQLite and a string on PostgreSQL. */
export function countOf(row: unknown): number {
  const value = row ? Object.values(row as Record<string, unknown>)[0] : 0;
  return Number(value ?? 0);
}

/**
 * Serialises concurrent writers on one account inside a transaction: a row lock on PostgreSQL;
 * on SQLite the single connection already serialises transactions.
 */
export async function lockAccount(trx: Knex.Transaction, accountId: number): Promise<void> {
  if (isPostgres(trx)) await trx('accounts').where({ id: accountId }).forUpdate().first('id');
}

/** A UNIQUE constraint refused the write (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT … UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/.test(e.message ?? ''));
}

export const nowIso = (date: Date = new Date()) => date.toISOString();

/** SQL for the seconds from one stored ISO-8601 instant column to another, on either database. */
export const secondsBetween = (db: Knex, from: string, to: string) =>
  isPostgres(db)
    ? `extract(epoch from (${to}::timestamptz - ${from}::timestamptz))`
    : `((julianday(${to}) - julianday(${from})) * 86400.0)`;
