import type { Knex } from 'knex';

/**
 * Webhooks and their persistent outbox. A delivery row is written in the transaction of the event
 * that caused it; the worker leases due rows (`locked_until`) so a crash mid-delivery only delays it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhooks', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('url', 2000).notNullable();
    // Comma-separated event types.
    t.string('events', 300).notNullable();
    // AES-256-GCM under the instance's webhook master key (kept in the secret store, never in the DB).
    t.string('secret_encrypted', 300).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['account_id']);
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('webhook_id').notNullable().references('webhooks.id').onDelete('CASCADE');
    t.integer('event_id');
    t.string('event_type', 40).notNullable();
    // X-Nova-Delivery: the same on every attempt, so receivers can drop duplicates.
    t.string('uid', 36).notNullable().unique();
    // The exact body sent (and signed) on every attempt.
    t.text('payload').notNullable();
    t.string('status', 20).notNullable(); // pending | succeeded | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30);
    t.string('locked_until', 30);
    t.integer('last_status_code');
    t.text('last_error');
    t.string('created_at', 30).notNullable();
    t.string('completed_at', 30);
    t.index(['status', 'next_attempt_at']);
    t.index(['webhook_id', 'id']);
  });
  await knex.schema.createTable('webhook_attempts', (t) => {
    t.increments('id');
    t.integer('delivery_id').notNullable().references('webhook_deliveries.id').onDelete('CASCADE');
    t.integer('attempt').notNullable();
    t.integer('status_code');
    t.integer('duration_ms').notNullable();
    t.text('error');
    t.string('next_retry_at', 30);
    t.string('created_at', 30).notNullable();
    t.index(['delivery_id', 'attempt']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhooks']) await knex.schema.dropTable(table);
}
