import type { Knex } from 'knex';

/** The event log: realtime clients resume from its ids; the webhook outbox is written beside each row. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('events', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('conversation_id').references('conversations.id').onDelete('CASCADE');
    t.string('type', 40).notNullable();
    t.text('payload').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['account_id', 'id']);
    t.index(['conversation_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('events');
}
