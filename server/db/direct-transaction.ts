import type { Knex } from 'knex';
import type { DatabaseSync } from 'node:sqlite';
import { NodeSqliteClient } from './sqlite-client.js';

/** Plain SQL (`?` placeholders) run straight on SQLite's connection, each statement prepared once. */
export type DirectSql = {
  rows<T = Record<string, unknown>>(sql: string, bindings?: readonly unknown[]): T[];
  run(sql: string, bindings?: readonly unknown[]): void;
};

/** `n` placeholders, comma-separated. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * A multi-row INSERT of `rows` into `table` with RETURNING `returning`, as `sql.rows` takes it. The rows must
 * have the same keys, and the first row's keys name the columns (the callers' rows are each made by one function).
 */
export function multiRowInsert(table: string, rows: readonly object[], returning: string): [text: string, bindings: unknown[]] {
  const columns = Object.keys(rows[0]!);
  const row = `(${placeholders(columns.length)})`;
  return [
    `insert into ${table} (${columns.join(', ')}) values ${rows.map(() => row).join(', ')} returning ${returning}`,
    rows.flatMap((values) => columns.map((column) => (values as Record<string, unknown>)[column])),
  ];
}

/** Whether `directWriteTransaction` runs on this database: SQLite, through NodeSqliteClient. */
export const hasDirectTransactions = (db: Knex): boolean => db.client instanceof NodeSqliteClient;

/**
 * One write transaction straight on SQLite's single connection: BEGIN IMMEDIATE, `work`, COMMIT (ROLLBACK if
 * `work` throws), without knex's transaction and query objects. For the message path at a human pace, where
 * each message is a transaction of its own and knex's transaction machinery cost more CPU than its six
 * statements (issue 13). `work` is synchronous, so nothing runs between its statements; the connection is
 * taken from knex's pool for it, so knex's own queries wait for it as they wait for any transaction.
 */
export async function directWriteTransaction<T>(db: Knex, work: (sql: DirectSql) => T): Promise<T> {
  const client = db.client as NodeSqliteClient;
  const connection = (await client.acquireConnection()) as DatabaseSync;
  const sql: DirectSql = {
    rows: <R>(text: string, bindings?: readonly unknown[]) => (client.execute(connection, text, bindings).rows ?? []) as R[],
    run: (text, bindings) => void client.execute(connection, text, bindings),
  };
  try {
    sql.run('BEGIN IMMEDIATE');
    try {
      const result = work(sql);
      sql.run('COMMIT');
      return result;
    } catch (err) {
      // A failed COMMIT (disk full) leaves the transaction open too: roll it back either way.
      if (connection.isTransaction) sql.run('ROLLBACK');
      throw err;
    }
  } finally {
    await client.releaseConnection(connection);
  }
}
