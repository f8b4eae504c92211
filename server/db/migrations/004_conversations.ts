import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contacts', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('name', 200);
    t.string('email', 320);
    t.string('created_at', 30).notNullable();
    t.index(['account_id', 'email']);
  });
  await knex.schema.createTable('conversations', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('domain_id').notNullable().references('domains.id').onDelete('CASCADE');
    t.integer('inbox_id').notNullable();
    t.integer('contact_id').notNullable().references('contacts.id').onDelete('CASCADE');
    t.string('status', 20).notNullable();
    t.integer('assignee_agent_id').references('agents.id').onDelete('SET NULL');
    // The AI agent answers while this is true; a hand-off or a human reply turns it off.
    t.boolean('bot_active').notNullable().defaultTo(false);
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('first_reply_at', 30);
    t.string('resolved_at', 30);
    t.string('last_message_at', 30);
    t.index(['account_id', 'status']);
    t.index(['account_id', 'contact_id']);
    // The console lists newest activity first.
    t.index(['account_id', 'last_message_at']);
  });
  await knex.schema.createTable('messages', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.text('content').notNullable();
    t.string('message_type', 20).notNullable();
    t.boolean('private').notNullable().defaultTo(false);
    t.string('sender_type', 20).notNullable();
    t.integer('sender_id');
    t.string('sender_name', 200);
    t.string('created_at', 30).notNullable();
    t.index(['conversation_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['messages', 'conversations', 'contacts']) await knex.schema.dropTable(table);
}
