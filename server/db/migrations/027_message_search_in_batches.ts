import type { Knex } from 'knex';

/**
 * SQLite's message search index (024) is written in batches instead of in each message's transaction: the insert
 * trigger goes, and search/indexer.ts indexes the messages after `messages_fts_progress.indexed_through` about a
 * second after they are written and before every search. FTS5 writes a segment at every commit: in a message's own
 * transaction that was 6 of its 16 WAL pages (issue 13). Deleting or editing a message touches the index only for
 * a message it already holds, since FTS5 deleting a row it never indexed corrupts it. PostgreSQL's generated column
 * (024) is unchanged.
 */
const INDEXED = (row: 'old' | 'new') => `${row}.message_type <> 'activity'`;
const HELD = (row: 'old' | 'new') => `${INDEXED(row)} AND ${row}.id <= (SELECT indexed_through FROM messages_fts_progress)`;

/** 024's delete and update triggers, for the messages `when` says the index holds. */
const changeTriggers = (when: typeof INDEXED) => [
  `CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN ${when('old')} BEGIN
     INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
   END`,
  `CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages WHEN ${when('old')} BEGIN
     INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
     INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
   END`,
];

const dropTriggers = async (knex: Knex, names: string[]) => {
  for (const name of names) await knex.raw(`DROP TRIGGER IF EXISTS messages_fts_${name}`);
};

export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') return;
  await knex.raw('CREATE TABLE messages_fts_progress (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_through INTEGER NOT NULL)');
  // 024's trigger has indexed every message so far. Ids are never reused (AUTOINCREMENT): later ones are above it.
  await knex.raw('INSERT INTO messages_fts_progress (id, indexed_through) SELECT 1, coalesce(max(id), 0) FROM messages');
  await dropTriggers(knex, ['insert', 'delete', 'update']);
  for (const sql of changeTriggers(HELD)) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') return;
  await knex.raw(`INSERT INTO messages_fts(rowid, content) SELECT m.id, m.content FROM messages m
                   WHERE m.id > (SELECT indexed_through FROM messages_fts_progress) AND m.message_type <> 'activity'`);
  await dropTriggers(knex, ['delete', 'update']);
  await knex.raw('DROP TABLE messages_fts_progress');
  await knex.raw(`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN ${INDEXED('new')} BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
  END`);
  for (const sql of changeTriggers(INDEXED)) await knex.raw(sql);
}
