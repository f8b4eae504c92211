import type { Knex } from 'knex';

/** One SLA policy per account (absent = the defaults) and the breaches already announced, once per conversation and kind. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sla_policies', (t) => {
    t.integer('account_id').primary().references('accounts.id').onDelete('CASCADE');
    t.integer('first_response_minutes').notNullable();
    t.integer('resolution_minutes').notNullable();
    // JSON {timezone, days, start, end}; null = around the clock.
    t.text('business_hours');
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('sla_breaches', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.string('kind', 20).notNullable(); // first_response | resolution
    t.string('due_at', 30).notNullable();
    t.string('detected_at', 30).notNullable();
    t.unique(['conversation_id', 'kind']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sla_breaches', 'sla_policies']) await knex.schema.dropTable(table);
}
