import type { Knex } from 'knex';

/**
 * Canned responses and labels (contract, "Daily support work"). A conversation's label titles are also kept
 * on the conversation (`labels`, a JSON array, as Chatwoot's cached label list), so every place that
 * presents a conversation has them without a join; `conversation_labels` is what filters by label.
 *
 * Run outside the batch's transaction (in its own), as 014_ai_replies: on SQLite, ALTER TABLE fails ("SQL
 * logic error") in a transaction that earlier dropped a virtual table, as 010_kb_questions drops the FTS5 one.
 */
export const config = { transaction: false };

export async function up(root: Knex): Promise<void> {
  await root.transaction(async (knex) => {
    await knex.schema.createTable('canned_responses', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
      // Lower-cased: typed after "/" in the composer, "Refund" and "refund" are one code.
      t.string('short_code', 50).notNullable();
      t.text('content').notNullable();
      t.string('created_at', 30).notNullable();
      t.string('updated_at', 30).notNullable();
      t.unique(['account_id', 'short_code']);
    });
    await knex.schema.createTable('labels', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
      // Lower-cased, as Chatwoot's.
      t.string('title', 50).notNullable();
      t.string('color', 7).notNullable();
      t.string('created_at', 30).notNullable();
      t.unique(['account_id', 'title']);
    });
    await knex.schema.createTable('conversation_labels', (t) => {
      t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
      t.integer('label_id').notNullable().references('labels.id').onDelete('CASCADE');
      t.primary(['conversation_id', 'label_id']);
      t.index(['label_id', 'conversation_id']);
    });
    await knex.schema.alterTable('conversations', (t) => {
      // JSON array of label titles, sorted; null = none.
      t.text('labels');
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('labels');
  });
  for (const table of ['conversation_labels', 'labels', 'canned_responses']) await knex.schema.dropTable(table);
}
