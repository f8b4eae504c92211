import sqlite3 from 'sqlite3';

/**
 * A consistent copy of a live SQLite database (WAL mode) into `target`, through SQLite's `VACUUM INTO` on a
 * connection of its own: it reads one snapshot of the database (a WAL read transaction), so writes the
 * server commits meanwhile are either wholly in the copy or not at all, and the server's own connection is
 * never held while the copy is written. A file copy of the database would miss what is still in the WAL.
 */
export async function snapshotSqlite(databaseFile: string, target: string): Promise<void> {
  const connection = await new Promise<sqlite3.Database>((resolve, reject) => {
    const db: sqlite3.Database = new sqlite3.Database(databaseFile, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(db)));
  });
  const run = (sql: string, ...params: unknown[]) =>
    new Promise<void>((resolve, reject) => connection.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve())));
  try {
    await run('PRAGMA busy_timeout = 10000');
    await run('VACUUM INTO ?', target);
  } finally {
    await new Promise<void>((resolve) => connection.close(() => resolve()));
  }
}
