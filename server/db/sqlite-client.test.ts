import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { connectDatabase, isUniqueViolation } from './knex.js';

// The SQLite connection (node:sqlite under knex, sqlite-client.ts) keeps its statements prepared: what runs
// through it must behave as if each query were prepared afresh, with values in and out as the server uses them.
describe('SQLite through node:sqlite with reused prepared statements', () => {
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

  test('values go in and come out as the server uses them: missing keys as NULL, booleans, dates, blobs as Buffers', async () => {
    await db.schema.createTable('files', (t) => {
      t.increments('id');
      t.string('name');
      t.boolean('public');
      t.bigInteger('at');
      t.binary('body');
    });
    const at = new Date('2026-12-01T10:00:00Z');
    // One multi-row insert where the rows do not name the same columns.
    await db('files').insert([{ name: 'a.png', public: true, at, body: Buffer.from([1, 2, 3]) }, { name: 'b.txt' }]);
    const rows = await db('files').orderBy('id').select('name', 'public', 'at', 'body');
    expect(rows).toEqual([
      { name: 'a.png', public: 1, at: at.valueOf(), body: Buffer.from([1, 2, 3]) },
      { name: 'b.txt', public: null, at: null, body: null },
    ]);
    expect(Buffer.isBuffer(rows[0]!.body)).toBe(true);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    const refused = await db('files')
      .insert({ id: 1, name: 'again' })
      .catch((err: unknown) => err as { code?: string });
    expect(refused).toMatchObject({ code: 'SQLITE_CONSTRAINT' });
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
