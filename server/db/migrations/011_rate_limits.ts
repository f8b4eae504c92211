import type { Knex } from 'knex';

/**
 * On PostgreSQL the throttles (login, sign-up, widget) keep their counters here, shared by every server
 * process on the database; rate-limiter-flexible's PostgreSQL store reads and writes it with one atomic
 * upsert per event. It is made here rather than by the library at run time: migrations run once, under
 * knex's lock, before any node serves, so no node issues DDL while serving and two nodes starting together
 * cannot race. Keys are text (the library's own table caps them at 255 characters; an address plus a
 * 320-character e-mail does not fit). SQLite serves one process: its throttles count in memory, no table.
 */
const onPostgres = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  if (!onPostgres(knex)) return;
  await knex.schema.createTable('rate_limits', (t) => {
    t.text('key').primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
    t.index(['expire']);
  });
}

export async function down(knex: Knex): Promise<void> {
  if (onPostgres(knex)) await knex.schema.dropTableIfExists('rate_limits');
}
