import type { Knex } from 'knex';

/**
 * Full-text search over conversations' messages (contract, "Daily support work": search). Activity lines
 * ("Ann resolved it") are not indexed. The index is written with the message, in its transaction:
 * - SQLite: an FTS5 external-content table over `messages`, kept by triggers (unicode61 folds case and
 *   diacritics; no stemming, since visitors write in several languages);
 * - PostgreSQL: a stored generated column `search_vector` (`to_tsvector('simple', content)`: the same words,
 *   no stemming; null for activity lines) under a GIN index. Stored, because prefix queries make PostgreSQL
 *   recheck every candidate row: against an expression index that re-parses each message (13 ms for 430 rows
 *   measured), against the column it reads the stored vector (2 ms).
 *
 * Run outside the batch's transaction (in its own), as 014_ai_replies: on SQLite, DDL fails ("SQL logic
 * error") in a transaction that earlier dropped a virtual table, as 010_kb_questions drops the FTS5 one.
 */
export const config = { transaction: false };

const INDEXED = `message_type <> 'activity'`;

export async function up(root: Knex): Promise<void> {
  await root.transaction(async (knex) => {
    if (knex.client.config.client === 'pg') {
      await knex.raw(
        `ALTER TABLE messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (CASE WHEN ${INDEXED} THEN to_tsvector('simple', content) END) STORED`,
      );
      await knex.raw('CREATE INDEX messages_search ON messages USING GIN (search_vector)');
      return;
    }
    await knex.raw(
      `CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
    );
    await knex.raw(`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.${INDEXED} BEGIN
      INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END`);
    await knex.raw(`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.${INDEXED} BEGIN
      INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END`);
    await knex.raw(`CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages WHEN old.${INDEXED} BEGIN
      INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
      INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END`);
    // Messages written before this migration.
    await knex.raw(`INSERT INTO messages_fts(rowid, content) SELECT id, content FROM messages WHERE ${INDEXED}`);
  });
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE messages DROP COLUMN IF EXISTS search_vector');
    return;
  }
  for (const trigger of ['insert', 'delete', 'update']) await knex.raw(`DROP TRIGGER IF EXISTS messages_fts_${trigger}`);
  await knex.raw('DROP TABLE IF EXISTS messages_fts');
}
