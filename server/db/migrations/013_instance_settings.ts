import type { Knex } from 'knex';

/** Settings of the whole instance that its owner changes from the console (e.g. whether sign-up is open), one row each. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instance_settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
    t.string('updated_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instance_settings');
}
