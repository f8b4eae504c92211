import type { Knex } from 'knex';

/**
 * CSAT (server/csat/): a visitor's 1–5 rating of a resolved conversation, at most one per resolution.
 * A resolution is named by the conversation's `resolved_at` when it was rated, so a conversation
 * reopened and resolved again can be rated again, and two ratings of one resolution cannot both commit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('csat_ratings', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.integer('rating').notNullable();
    t.text('comment');
    t.string('resolved_at', 30).notNullable();
    t.string('created_at', 30).notNullable();
    t.unique(['conversation_id', 'resolved_at']);
    // Reports count an account's ratings over a window.
    t.index(['account_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('csat_ratings');
}
