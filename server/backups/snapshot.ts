import { nodeSqlite } from '../db/sqlite-client.js';

/**
 * A consistent copy of a live SQLite database (WAL mode) into `target`, through SQLite's online backup on a
 * read-only connection of its own, in one step on the thread pool: the step reads one snapshot of the
 * database (a WAL read transaction), so writes the server commits meanwhile are either wholly in the copy or
 * not at all, and the server's own connection and event loop are never held while the copy is written. A
 * file copy of the database would miss what is still in the WAL.
 */
export async function snapshotSqlite(databaseFile: string, target: string): Promise<void> {
  const { DatabaseSync, backup } = nodeSqlite();
  const source = new DatabaseSync(databaseFile, { readOnly: true, timeout: 10_000 });
  try {
    await backup(source, target, { rate: -1 });
  } finally {
    source.close();
  }
}
