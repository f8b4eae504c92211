import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../../test/helpers/database.js';
import { TestServer } from '../../test/helpers/server.js';
import { addMessage } from '../conversations/service.js';
import { accountWithWebsite, visitorConversation } from '../conversations/test-fixtures.js';
import { connectDatabase } from '../db/knex.js';
import { migrationSource } from '../db/migrations/index.js';

const byNumber = (a: number, b: number) => a - b;
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((t) => t.close()));
});

const start = async (options: Parameters<typeof TestServer.start>[0] = {}) => {
  const t = await TestServer.start(options);
  servers.push(t);
  return t;
};

/** A new account: its search, and writers of messages into new conversations of it. */
async function account(t: TestServer) {
  const site = await accountWithWebsite(t);
  const conversation = async () => {
    const c = await visitorConversation(t, site.websiteToken, { contact: { name: 'Ann' }, message: 'hello' });
    return (content: string) =>
      addMessage(t.deps, site.accountId, c.id, { content, message_type: 'incoming', sender: { type: 'contact', id: null, name: 'Ann' } });
  };
  /** The message each conversation found was found by. */
  const search = async (q: string) =>
    ((await t.get(`/nc-api/v1/conversations/search?q=${q}`, site.token)).body.data as { message: { id: number } }[])
      .map((hit) => hit.message.id)
      .sort(byNumber);
  return { conversation, search };
}

/** The messages SQLite's search index itself holds for a word (not through the search's catch-up). */
const indexed = async (db: Knex, word: string) =>
  ((await db.raw('select rowid from messages_fts where messages_fts match ?', [`"${word}"`])) as { rowid: number }[]).map((r) => r.rowid);

/** FTS5's check that the index holds exactly what the messages say (throws "malformed" when not). */
const indexIsSound = (db: Knex) => db.raw(`insert into messages_fts(messages_fts, rank) values ('integrity-check', 1)`);

const until = async (check: () => Promise<boolean>, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return true;
  return check();
};

/** The production migrations without `left`: the schema the release before them ran. */
const without = (left: string): Knex.MigrationSource<string> => ({
  getMigrations: async () => (await migrationSource.getMigrations([])).filter((name) => name !== left),
  getMigrationName: (name) => name,
  getMigration: (name) => migrationSource.getMigration(name),
});

describe.skipIf(onPostgres)("SQLite's message search index, written in batches", () => {
  it('indexes new messages about a second after they are written, with no search asking', async () => {
    const t = await start();
    const write = await (await account(t)).conversation();
    const message = await write('the zanzibar parcel');
    expect(await until(async () => (await indexed(t.deps.db, 'zanzibar')).includes(message.id))).toBe(true);
  });

  it('a search finds every message written before it, more than one batch of them, with no batch run yet', async () => {
    const t = await start();
    const { conversation, search } = await account(t);
    await t.deps.messageSearch.stop(); // no batches in the background: only the search's catch-up indexes
    const first = await (await conversation())('oldest quokka');
    const write = await conversation();
    for (let i = 0; i < 1200; i++) await write(`filler ${i}`);
    const last = await write('newest quokka');
    expect(await search('quokka')).toEqual([first.id, last.id].sort(byNumber));
    await indexIsSound(t.deps.db);
  });

  it('deleting a message, indexed or not yet, leaves the index sound', async () => {
    const t = await start();
    const { conversation, search } = await account(t);
    const [kept, gone, pending] = [await conversation(), await conversation(), await conversation()];
    const keptMessage = await kept('walrus kept');
    const goneMessage = await gone('walrus gone');
    await t.deps.messageSearch.catchUp();
    const pendingMessage = await pending('walrus pending');
    // FTS5 told to delete a row it never indexed (the pending one) would corrupt the index.
    await t.deps.db('messages').whereIn('id', [goneMessage.id, pendingMessage.id]).delete();
    expect(await search('walrus')).toEqual([keptMessage.id]);
    await indexIsSound(t.deps.db);
  });

  it('indexes at start what a stopped server left unindexed', async () => {
    const t = await start();
    const before = await (await (await account(t)).conversation())('before the crash');
    await t.server.close();
    // A message committed and not indexed, as when the process dies before its batch.
    const db = connectDatabase({ dataDir: t.dataDir });
    const { id: _id, ...copy } = await db('messages').where({ id: before.id }).first();
    const [row] = await db('messages')
      .insert({ ...copy, content: 'ocelot' })
      .returning('id');
    await db.destroy();
    await t.restartOn({});
    expect(await until(async () => (await indexed(t.deps.db, 'ocelot')).includes(row.id))).toBe(true);
    await indexIsSound(t.deps.db);
  });

  it('upgrading keeps what the old trigger indexed, once each; going back indexes what waited', async () => {
    const t = await start({ migrationSource: without('027_message_search_in_batches') });
    const { conversation, search } = await account(t);
    const old = await (await conversation())('platypus from before');
    expect(await indexed(t.deps.db, 'platypus')).toEqual([old.id]); // 024's trigger
    await t.server.close();

    await t.restartOn({ migrationSource });
    const { db } = t.deps;
    const fresh = await (await conversation())('platypus after the upgrade');
    expect(await search('platypus')).toEqual([old.id, fresh.id].sort(byNumber));
    await indexIsSound(db);

    await t.deps.messageSearch.stop(); // from here nothing indexes: `waiting` is left to the way back
    const waiting = await (await conversation())('platypus waiting');
    await db.migrate.down({ name: '027_message_search_in_batches' });
    expect((await indexed(db, 'platypus')).sort(byNumber)).toEqual([old.id, fresh.id, waiting.id].sort(byNumber));
    const onOldTrigger = await (await conversation())('platypus on the old trigger');
    expect(await indexed(db, 'platypus')).toContain(onOldTrigger.id);
    await indexIsSound(db);

    // And up again: each found once.
    await db.migrate.latest();
    expect(await search('platypus')).toEqual([old.id, fresh.id, waiting.id, onOldTrigger.id].sort(byNumber));
    await indexIsSound(db);
  });
});
