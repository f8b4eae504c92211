import type { Knex } from 'knex';

/**
 * Alternate questions of KB items (contract, "Alternate questions") and their vectors; lexical search moves
 * into the server process (server/retrieval/lexical-index.ts), so the FTS5 table and the tsvector index go.
 * Item vectors now embed the category and tags too: the old ones are dropped so the background reconcile
 * re-embeds every item (they stay searchable lexically meanwhile).
 */
/**
 * Runs in a transaction of its own, not in one with the whole batch: on a fresh SQLite database the batch
 * would create the FTS5 table (003) and drop it here in one transaction, after which SQLite refuses the
 * next migration's CREATE TABLE ("SQL logic error").
 */
export const config = { transaction: false };

export async function up(db: Knex): Promise<void> {
  await db.transaction((trx) => migrateUp(trx));
}

async function migrateUp(knex: Knex.Transaction): Promise<void> {
  await knex.schema.createTable('kb_item_questions', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('item_id').notNullable().references('kb_items.id').onDelete('CASCADE');
    t.string('question', 500).notNullable();
    // Lower-cased, whitespace collapsed: two phrasings that differ only so are one question.
    t.string('normalized', 500).notNullable();
    t.string('source', 10).notNullable();
    t.string('created_at', 30).notNullable();
    t.unique(['item_id', 'normalized']);
    t.index(['account_id', 'item_id']);
  });
  await knex.schema.createTable('kb_question_vectors', (t) => {
    t.integer('question_id').primary().references('kb_item_questions.id').onDelete('CASCADE');
    t.integer('item_id').notNullable().references('kb_items.id').onDelete('CASCADE');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('embedder', 200).notNullable();
    t.integer('dimensions').notNullable();
    t.binary('vector').notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['account_id', 'embedder']);
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP INDEX IF EXISTS kb_items_tsv');
  } else {
    for (const trigger of ['insert', 'delete', 'update']) await knex.raw(`DROP TRIGGER IF EXISTS kb_items_fts_${trigger}`);
    await knex.raw('DROP TABLE IF EXISTS kb_items_fts');
  }
  await knex('kb_item_vectors').delete();
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_question_vectors');
  await knex.schema.dropTable('kb_item_questions');
}
