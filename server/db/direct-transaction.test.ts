import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createSqliteDatabase } from '../../test/helpers/database.js';
import { directWriteTransaction, hasDirectTransactions } from './direct-transaction.js';

// SQLite only, whatever the pass: the direct path exists for SQLite's single connection.
describe('direct SQLite write transactions', () => {
  let db: Knex;
  let drop: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    ({ db, drop } = await createSqliteDatabase('nova-direct-trx-'));
    await db.schema.createTable('notes', (t) => {
      t.increments('id');
      t.string('title').notNullable().unique();
    });
  });
  afterEach(async () => {
    await drop?.();
  });

  const titles = async () => (await db('notes').orderBy('id').pluck('title')) as string[];

  test('commits every statement of the work together, and hands back what it returned', async () => {
    expect(hasDirectTransactions(db)).toBe(true);
    const ids = await directWriteTransaction(db, (sql) => {
      const rows = sql.rows<{ id: number }>('insert into notes (title) values (?), (?) returning id', ['a', 'b']);
      sql.run('update notes set title = ? where id = ?', ['a2', rows[0]!.id]);
      return rows.map((r) => r.id);
    });
    expect(ids).toHaveLength(2);
    expect(await titles()).toEqual(['a2', 'b']);
  });

  test('a failing statement rolls the whole work back, and the connection serves knex afterwards', async () => {
    await db('notes').insert({ title: 'taken' });
    await expect(
      directWriteTransaction(db, (sql) => {
        sql.run('insert into notes (title) values (?)', ['fresh']);
        sql.run('insert into notes (title) values (?)', ['taken']);
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect(await titles()).toEqual(['taken']);
    await db.transaction(async (trx) => {
      await trx('notes').insert({ title: 'after' });
    });
    expect(await titles()).toEqual(['taken', 'after']);
  });

  test('waits for a knex transaction in progress instead of writing into it, and sees what it committed', async () => {
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    const knexWrite = db.transaction(async (trx) => {
      await trx('notes').insert({ title: 'first' });
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const direct = directWriteTransaction(db, (sql) => sql.rows<{ n: number }>('select count(*) as n from notes')[0]!.n);
    let seen: number | undefined;
    void direct.then((n) => (seen = n));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toBeUndefined();
    commit();
    await knexWrite;
    expect(await direct).toBe(1);
  });
});
