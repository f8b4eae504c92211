import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import type { DatabaseSync, StatementSync, SQLInputValue } from 'node:sqlite';

const require = createRequire(import.meta.url);

// knex's own SQLite dialect, to extend (knex takes a client class): its SQL compilers, DDL and transactions
// stay as they are; only the driver underneath changes. The package has no export map, so the file is
// reachable; it ships no types for it: it is a Knex.Client.
const Sqlite3Dialect = require('knex/lib/dialects/sqlite3/index.js') as typeof Knex.Client;

/**
 * Node's built-in SQLite. Loading it prints an ExperimentalWarning on Node 22 (the module is stable in use
 * here: the same SQLite library, one connection); that one warning is kept off the server's stderr.
 */
export function nodeSqlite(): typeof import('node:sqlite') {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    if (!String(warning).startsWith('SQLite is an experimental feature')) emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return require('node:sqlite') as typeof import('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}

type CompiledQuery = { sql: string; bindings?: unknown[]; method: string; response?: unknown; context?: unknown };
type Prepared = { statement: StatementSync; names: string[]; readsRows: boolean };
/** A statement's outcome: its rows (a SELECT, or a write with RETURNING), else the last row id and the rows changed. */
export type Executed = { rows: Record<string, unknown>[] | null; lastID: number; changes: number };

/** Statements kept prepared per connection; longer SQL (a big batch's multi-row insert) is prepared each time. */
const MAX_STATEMENTS = 256;
const MAX_CACHED_SQL = 4_096;

const SCHEMA_CHANGE = /^\s*(create|alter|drop)\s/i;

/** SQLite's primary result codes by number, named as node-sqlite3 named them (`SQLITE_CONSTRAINT`, …). */
const RESULT_CODES = [
  'OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR', 'CORRUPT', 'NOTFOUND',
  'FULL', 'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB',
]; // prettier-ignore

/** node:sqlite reports `ERR_SQLITE_ERROR` with the number in `errcode`; callers test the SQLite code by name. */
function withSqliteCode(err: unknown): unknown {
  const e = err as { code?: string; errcode?: number; errno?: number };
  if (e?.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    e.errno = e.errcode & 0xff;
    e.code = `SQLITE_${RESULT_CODES[e.errno] ?? 'ERROR'}`;
  }
  return err;
}

/** Bound as node-sqlite3 bound them: a Date as its milliseconds, a boolean as 0/1, undefined (a key a row of a multi-row insert lacks) as NULL. */
const bindable = (value: unknown): SQLInputValue =>
  value === undefined
    ? null
    : value instanceof Date
      ? value.valueOf()
      : typeof value === 'boolean'
        ? Number(value)
        : (value as SQLInputValue);

/** Rows as plain objects with blobs as Buffers, as the rest of the server (and node-sqlite3 before) has them. */
function rowsOf(prepared: Prepared, bindings: SQLInputValue[]): Record<string, unknown>[] {
  const { statement, names } = prepared;
  const arrays = statement.all(...bindings) as unknown as unknown[][];
  const rows = new Array<Record<string, unknown>>(arrays.length);
  for (let r = 0; r < arrays.length; r++) {
    const values = arrays[r]!;
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      const value = values[c];
      row[names[c]!] = value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
    }
    rows[r] = row;
  }
  return rows;
}

/**
 * Per connection: SQL → its prepared statement. Kept by connection, not on the client: knex runs a
 * transaction's queries through a copy of the client.
 */
const statementsOf = new WeakMap<DatabaseSync, LRUCache<string, Prepared>>();

/**
 * knex's SQLite client on Node's built-in `node:sqlite`, each connection's statements prepared once and
 * reused. A query runs to completion on the calling thread: a widget message's transaction is six small
 * statements, and through node-sqlite3 each was a hand-off to the thread pool and back, which cost more
 * than the statement (issue 13: 1.4 ms of CPU per message at 200 msg/s). The database is one local file with
 * one connection, so nothing else waits on it; the only slow statements (a whole-index read at start,
 * a search over 100 000 messages) take milliseconds. Backups copy on the thread pool (backups/snapshot.ts).
 */
export class NodeSqliteClient extends Sqlite3Dialect {
  _driver(): unknown {
    return nodeSqlite();
  }

  override async acquireRawConnection(): Promise<DatabaseSync> {
    const { DatabaseSync } = this.driver as typeof import('node:sqlite');
    const { filename } = this.connectionSettings as { filename: string };
    // Double-quoted strings stay literals, as node-sqlite3's SQLite had them, so older schemas read the same.
    const connection = new DatabaseSync(filename, { enableDoubleQuotedStringLiterals: true });
    connection.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
    return connection;
  }

  override async destroyRawConnection(connection: DatabaseSync): Promise<void> {
    statementsOf.delete(connection);
    connection.close();
  }

  private prepare(connection: DatabaseSync, sql: string): Prepared {
    let cache = statementsOf.get(connection);
    if (!cache) statementsOf.set(connection, (cache = new LRUCache({ max: MAX_STATEMENTS })));
    let prepared = cache.get(sql);
    if (!prepared) {
      const statement = connection.prepare(sql);
      const names = statement.columns().map((column) => column.name);
      statement.setReturnArrays(true);
      prepared = { statement, names, readsRows: names.length > 0 };
      if (sql.length <= MAX_CACHED_SQL) cache.set(sql, prepared);
    }
    return prepared;
  }

  /** Runs one statement on `connection`, prepared once: the rows it returns, or what it changed. */
  execute(connection: DatabaseSync, sql: string, bindings: readonly unknown[] = []): Executed {
    try {
      const prepared = this.prepare(connection, sql);
      const values = bindings.map(bindable);
      if (prepared.readsRows) return { rows: rowsOf(prepared, values), lastID: 0, changes: 0 };
      const result = prepared.statement.run(...values);
      // A kept statement's column names would be stale after a schema change: prepare afresh after one.
      if (SCHEMA_CHANGE.test(sql)) statementsOf.get(connection)?.clear();
      return { rows: null, lastID: Number(result.lastInsertRowid), changes: Number(result.changes) };
    } catch (err) {
      throw withSqliteCode(err);
    }
  }

  async _query(connection: DatabaseSync, obj: CompiledQuery): Promise<CompiledQuery> {
    if (!obj.sql) throw new Error('The query is empty');
    const { rows, lastID, changes } = this.execute(connection, obj.sql, obj.bindings);
    if (rows) obj.response = rows;
    else obj.context = { lastID, changes };
    return obj;
  }
}
