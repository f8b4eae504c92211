import type { Knex } from 'knex';

/**
 * `Idempotency-Key` reservations and the answers they replay (server/idempotency/). One row per account,
 * route and key: in the database, so every server process sharing it sees the same keys.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    // `POST /nc-api/v1/conversations/7/messages`: the method and the path as requested.
    t.string('scope', 300).notNullable();
    t.string('key', 255).notNullable();
    // sha256 of the request as the route validated it: the same key with another request is refused.
    t.string('fingerprint', 64).notNullable();
    t.string('state', 10).notNullable(); // started | completed
    // The attempt holding a started key; its write's transaction completes the row only while it still does.
    t.string('owner', 36).notNullable();
    t.string('lease_until', 30).notNullable();
    t.integer('status_code');
    t.text('response_body');
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.unique(['account_id', 'scope', 'key']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
