import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { connectDatabase, isUniqueViolation } from './knex.js';

// The SQLite connection keeps its statements prepared (sqlite-client.ts): what runs through it must behave as if
// each query were prepared afresh.
describe('SQLite with reused prepared statements', () => {
  let dataDir: string;
  let db: Knex;

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nova-sqlite-client-'));
    db = connectDatabase({ dataDir });
    await db.schema.createTable('notes', (t) => {
      t.increments('id');
      t.string('title').notNullable().unique();
      t.integer('stars').notNullable().defaultTo(0);
    });
  });
  afterEach(async () => {
    await db?.destroy();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const titles = async () => (await db('notes').orderBy('id').select('title', 'stars')).map((n) => `${n.title}:${n.stars}`);

  test('the same queries run again see every change: ids, counts of changed rows, rows read', async () => {
    const [first] = await db('notes').insert({ title: 'a' });
    const [second] = await db('notes').insert({ title: 'b' });
    expect(second).toBe(first! + 1);
    expect(await db('notes').where('id', first!).update({ stars: 3 })).toBe(1);
    expect(await db('notes').where('id', 999).update({ stars: 3 })).toBe(0);
    expect(await titles()).toEqual(['a:3', 'b:0']);
    expect(await db('notes').where('id', second!).delete()).toBe(1);
    expect(await titles()).toEqual(['a:3']);
    expect(await db('notes').insert({ title: 'c' }).returning('id')).toEqual([{ id: second! + 1 }]);
    expect(await titles()).toEqual(['a:3', 'c:0']);
  });

  test('a statement that fails keeps working: a UNIQUE refusal is reported as one, then the same insert succeeds', async () => {
    await db('notes').insert({ title: 'a' });
    const refused = await db('notes')
      .insert({ title: 'a' })
      .catch((err: unknown) => err);
    expect(isUniqueViolation(refused)).toBe(true);
    await db('notes').insert({ title: 'b' });
    expect(await titles()).toEqual(['a:0', 'b:0']);
  });

  test("SQL that does not prepare gets SQLite's own error, and works once the table exists", async () => {
    const read = () => db('later').select('id');
    await expect(read()).rejects.toThrow(/no such table: later/);
    await db.schema.createTable('later', (t) => t.increments('id'));
    await db('later').insert({});
    expect(await read()).toEqual([{ id: 1 }]);
  });

  test('a statement prepared before a schema change sees the new schema', async () => {
    await db('notes').insert({ title: 'a' });
    const all = () => db('notes').select('*');
    expect(Object.keys((await all())[0]!)).toEqual(['id', 'title', 'stars']);
    await db.schema.alterTable('notes', (t) => t.string('colour').defaultTo('red'));
    expect(await all()).toEqual([{ id: 1, title: 'a', stars: 0, colour: 'red' }]);
  });

  test('a rolled-back transaction leaves nothing, and the connection (with its statements) closes and reopens cleanly', async () => {
    await db
      .transaction(async (trx) => {
        await trx('notes').insert({ title: 'gone' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await db.transaction((trx) => trx('notes').insert({ title: 'kept' }));
    // VACUUM refuses to run while any statement is still running: the kept ones have all run to completion.
    const copy = path.join(dataDir, 'copy.sqlite');
    await db.raw('VACUUM INTO ?', [copy]);
    await db.destroy();
    db = connectDatabase({ dataDir });
    expect(await titles()).toEqual(['kept:0']);
  });
});
