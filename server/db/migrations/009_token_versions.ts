import type { Knex } from 'knex';

/**
 * A user's tokens carry the token version they were issued at; changing the password or role bumps it,
 * so every token issued before stops working on its next request (the user row is read per request anyway).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('token_version').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('token_version');
  });
}
