import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { connectDatabase } from '../../server/db/knex.js';

/** True in the Postgres pass of `npm test` (scripts/test-postgres.mjs). */
export const onPostgres = process.env.NOVA_TEST_DATABASE === 'postgres';

/** A fresh, empty PostgreSQL database (made through `adminUrl`, the tests' one by default); `drop` removes it. */
export async function createPostgresDatabase(
  adminUrl = process.env.TEST_DATABASE_URL,
  prefix = 'nova_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A fresh SQLite database in a temporary folder, whatever the pass; `drop` closes it and removes the folder. */
export async function createSqliteDatabase(prefix: string): Promise<{ db: Knex; drop(): Promise<void> }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const db = connectDatabase({ dataDir });
  return {
    db,
    drop: async () => {
      await db.destroy();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
