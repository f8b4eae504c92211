import type { Knex } from 'knex';

/**
 * Run outside the batch's transaction (in its own): on SQLite, ALTER TABLE fails ("SQL logic error") in a
 * transaction that earlier dropped a virtual table, as 010_kb_questions drops the FTS5 one.
 */
export const config = { transaction: false };

/**
 * The AI agent's three moves (contract, "How the AI agent replies"): messages gain a content type and
 * attributes (an answer's KB item, the choices offered and the one picked, a visitor's feedback);
 * conversations remember the widget's language; `ai_replies` logs each contact question the bot took
 * and how it ended, which the feedback, the learning and the AI report read.
 */
export async function up(root: Knex): Promise<void> {
  await root.transaction(async (knex) => {
    await knex.schema.alterTable('messages', (t) => {
      t.string('content_type', 20).notNullable().defaultTo('text');
      // JSON object; null = {}.
      t.text('content_attributes');
    });
    await knex.schema.alterTable('conversations', (t) => {
      t.string('locale', 35);
    });
    await knex.schema.createTable('ai_replies', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
      t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
      t.integer('question_message_id').notNullable().references('messages.id').onDelete('CASCADE');
      t.text('question').notNullable();
      // null: a question searched in the KB; 'handoff': the visitor asked for a person.
      t.string('intent', 20);
      // answer | choices | handoff
      t.string('move', 20).notNullable();
      // The bot's message for the move (the answer, the choices or the hand-off).
      t.integer('reply_message_id');
      // The item the visitor got: the answer's, or the one picked from the choices (not a foreign key: the
      // report keeps counting a reply whose item was deleted since).
      t.integer('kb_item_id');
      // The value picked from the choices ("kb_item:<id>" or "handoff"), set once.
      t.string('picked_value', 40);
      // The bot message that gave the item (the answer itself, or the answer after a pick).
      t.integer('answer_message_id');
      t.boolean('handed_off').notNullable().defaultTo(false);
      t.boolean('helpful');
      // The alternate question learned from a pick, removed again if the answer is marked unhelpful.
      t.integer('learned_question_id');
      t.string('created_at', 30).notNullable();
      t.index(['account_id', 'created_at']);
      t.index(['reply_message_id']);
      t.index(['answer_message_id']);
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ai_replies');
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('locale');
  });
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('content_attributes');
    t.dropColumn('content_type');
  });
}
