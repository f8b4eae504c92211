import type { Knex } from 'knex';

/**
 * The instance secrets (JWT secret, webhook master key) when NOVA_SECRET_KEY is set: sealed with a key
 * derived from it, so every server of the database shares them and a copy of the database alone opens
 * none of them (server/secrets/database.ts). One row holds the derivation's salt, in the clear.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instance_secrets', (t) => {
    t.string('name', 100).primary();
    t.text('value').notNullable();
    t.string('created_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instance_secrets');
}
