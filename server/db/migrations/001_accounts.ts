import type { Knex } from 'knex';

// Times are ISO-8601 UTC strings on both SQLite and PostgreSQL, so they read back identically.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('plan', 40).notNullable();
    t.string('trial_ends_at', 30);
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('email', 320).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('password_hash', 300).notNullable();
    t.string('role', 20).notNullable();
    t.boolean('is_instance_admin').notNullable().defaultTo(false);
    t.string('created_at', 30).notNullable();
    t.index(['account_id']);
  });
  await knex.schema.createTable('agents', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('type', 10).notNullable();
    // AI agents
    t.string('bot_name', 100);
    t.text('greeting_message');
    t.text('system_prompt');
    // Human agents: the user who signs in as this agent
    t.integer('user_id').references('users.id').onDelete('CASCADE');
    t.boolean('is_owner').notNullable().defaultTo(false);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['account_id']);
  });
  await knex.schema.createTable('inboxes', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('domains', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('inbox_id').notNullable().references('inboxes.id');
    t.string('website_url', 300).notNullable();
    t.string('label', 200);
    t.string('website_token', 80).notNullable().unique();
    t.integer('ai_agent_id').references('agents.id').onDelete('SET NULL');
    t.boolean('ai_active').notNullable().defaultTo(false);
    t.text('widget_settings');
    t.string('created_at', 30).notNullable();
    t.index(['account_id']);
  });
  await knex.schema.createTable('api_keys', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('prefix', 20).notNullable();
    t.string('key_hash', 64).notNullable().unique();
    t.string('permissions', 40).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('last_used_at', 30);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['api_keys', 'domains', 'inboxes', 'agents', 'users', 'accounts']) await knex.schema.dropTable(table);
}
