import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';

// knex's own SQLite dialect, to extend (knex takes a client class). The package has no export map, so the file
// is reachable; it ships no types for it: it is a Knex.Client.
const Sqlite3Dialect = createRequire(import.meta.url)('knex/lib/dialects/sqlite3/index.js') as typeof Knex.Client;

type Callback = (this: { lastID?: number; changes?: number }, err: Error | null, rows?: unknown) => void;
type Statement = {
  all(params: unknown[], cb: Callback): void;
  run(params: unknown[], cb: Callback): void;
  finalize(cb?: () => void): void;
};
type Connection = { prepare(sql: string, cb: (err: Error | null) => void): Statement; close(cb: (err: Error | null) => void): void };
type CompiledQuery = { sql: string; bindings: unknown[]; method: string; returning?: unknown; response?: unknown; context?: unknown };

/** Statements kept prepared per connection; longer SQL (a big batch's multi-row insert) is prepared each time. */
const MAX_STATEMENTS = 256;
const MAX_CACHED_SQL = 4_096;

/**
 * Per connection: SQL → its statement once prepared (null when it does not prepare: knex's own path reports
 * why). Kept by connection, not on the client: knex runs a transaction's queries through a copy of the client.
 */
const statementsOf = new WeakMap<Connection, LRUCache<string, Promise<Statement | null>>>();

const uncachedQuery = (
  Sqlite3Dialect.prototype as unknown as { _query(this: unknown, c: Connection, o: CompiledQuery): Promise<CompiledQuery> }
)._query;

/**
 * knex's SQLite client, with each connection's statements prepared once and reused. Through
 * `Database#all`/`#run` every query compiles its SQL again (sqlite3_prepare on the thread pool, then a
 * finalize), which is most of what a small query costs: a widget message's transaction is ten of them.
 * The results are the same: knex still builds the SQL, and a reused statement is reset and rebound for
 * each run, runs to completion (so it holds no lock afterwards) and is re-prepared by SQLite itself after
 * a schema change. One connection runs one query at a time (the pool has one), and sqlite3 queues the
 * calls on a statement, so a statement is never used by two queries at once.
 */
export class StatementCachingSqlite3 extends Sqlite3Dialect {
  private statementFor(connection: Connection, sql: string): Promise<Statement | null> {
    if (sql.length > MAX_CACHED_SQL) return Promise.resolve(null);
    let cache = statementsOf.get(connection);
    if (!cache) {
      cache = new LRUCache({ max: MAX_STATEMENTS, dispose: (ready) => void ready.then((statement) => statement?.finalize()) });
      statementsOf.set(connection, cache);
    }
    let ready = cache.get(sql);
    if (!ready) {
      const statements = cache;
      ready = new Promise((resolve) => {
        const statement = connection.prepare(sql, (err) => {
          if (!err) return resolve(statement);
          statements.delete(sql);
          resolve(null);
        });
      });
      cache.set(sql, ready);
    }
    return ready;
  }

  async _query(connection: Connection, obj: CompiledQuery): Promise<CompiledQuery> {
    if (!obj.sql) throw new Error('The query is empty');
    const statement = await this.statementFor(connection, obj.sql);
    if (!statement) return uncachedQuery.call(this, connection, obj);
    // As knex's: writes without RETURNING report lastID/changes through `run`; everything else reads rows.
    const write = obj.method === 'insert' || obj.method === 'update' ? !obj.returning : obj.method === 'del' || obj.method === 'counter';
    return new Promise((resolve, reject) => {
      const done: Callback = function (err, rows) {
        if (err) return reject(err);
        obj.response = rows;
        // Copied: the statement object is shared, and its next run overwrites these.
        obj.context = { lastID: this.lastID, changes: this.changes };
        resolve(obj);
      };
      if (write) statement.run(obj.bindings ?? [], done);
      else statement.all(obj.bindings ?? [], done);
    });
  }

  /** SQLite refuses to close a connection with statements still prepared: finalize them first. */
  override async destroyRawConnection(connection: Connection): Promise<void> {
    const cache = statementsOf.get(connection);
    statementsOf.delete(connection);
    const statements = await Promise.all(cache?.values() ?? []);
    await Promise.all(statements.map((s) => s && new Promise<void>((resolve) => s.finalize(() => resolve()))));
    await new Promise<void>((resolve, reject) => connection.close((err) => (err ? reject(err) : resolve())));
  }
}
