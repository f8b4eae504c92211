import type { Knex } from 'knex';
import type { Pagination } from '../db/pagination.js';
import { pageRange } from '../db/pagination.js';
import { countOf } from '../db/knex.js';
import type { BackupKind } from './format.js';

export type BackupStatus = 'ok' | 'failed';

export type BackupRow = {
  id: number;
  filename: string;
  kind: BackupKind;
  status: BackupStatus;
  size: number | null;
  encrypted: boolean;
  includes_database: boolean;
  error: string | null;
  created_at: string;
};

const TABLE = 'backups';

/** Booleans come back as 0/1 on SQLite and bigints as strings on PostgreSQL. */
const fromDb = (row: Record<string, unknown>): BackupRow =>
  ({
    ...row,
    size: row.size === null ? null : Number(row.size),
    encrypted: Boolean(row.encrypted),
    includes_database: Boolean(row.includes_database),
  }) as BackupRow;

export async function insertBackup(db: Knex, row: Omit<BackupRow, 'id'>): Promise<BackupRow> {
  const [inserted] = await db(TABLE).insert(row).returning('id');
  const id = typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
  return { id, ...row };
}

export async function listBackups(db: Knex, pagination: Pagination): Promise<{ rows: BackupRow[]; total: number }> {
  const { offset, limit } = pageRange(pagination);
  const rows = await db(TABLE)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .offset(offset)
    .limit(limit);
  const total = countOf(await db(TABLE).count({ n: '*' }).first());
  return { rows: rows.map(fromDb), total };
}

/** Which of these file names the table lists. */
export async function listedFilenames(db: Knex, filenames: string[]): Promise<Set<string>> {
  return new Set(await db(TABLE).whereIn('filename', filenames).pluck('filename'));
}

export async function findBackup(db: Knex, id: number): Promise<BackupRow | undefined> {
  const row = await db(TABLE).where({ id }).first();
  return row ? fromDb(row) : undefined;
}

export async function deleteBackupRow(db: Knex, id: number): Promise<void> {
  await db(TABLE).where({ id }).delete();
}

/** The newest attempt, and the newest that succeeded (what the dashboard's age and warning are about). */
export async function lastAttempts(db: Knex): Promise<{ last?: BackupRow; lastOk?: BackupRow }> {
  const newest = () =>
    db(TABLE).orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  const [last, lastOk] = await Promise.all([newest().first(), newest().where({ status: 'ok' }).first()]);
  return { last: last ? fromDb(last) : undefined, lastOk: lastOk ? fromDb(lastOk) : undefined };
}

/** Scheduled backups (and failed attempts) past the newest `keep` of each: what the schedule removes. */
export async function beyondKept(db: Knex, keep: number): Promise<BackupRow[]> {
  const older = (query: Knex.QueryBuilder) =>
    query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .offset(keep)
      .limit(1000);
  const [scheduled, failed] = await Promise.all([
    older(db(TABLE).where({ kind: 'scheduled', status: 'ok' })),
    older(db(TABLE).where({ status: 'failed' })),
  ]);
  return [...scheduled, ...failed].map(fromDb);
}
