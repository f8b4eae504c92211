import type { Knex } from 'knex';

/**
 * Backups this instance wrote, and the ones it failed to write (status `failed`, with the error), so the
 * console can list them and warn when the last one failed (server/backups/).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backups', (t) => {
    t.increments('id').primary();
    t.string('filename', 200).notNullable();
    t.string('kind', 20).notNullable();
    t.string('status', 10).notNullable();
    t.bigInteger('size');
    t.boolean('encrypted').notNullable();
    t.boolean('includes_database').notNullable();
    t.text('error');
    t.string('created_at', 30).notNullable();
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('backups');
}
