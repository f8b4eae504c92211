import type { Knex } from 'knex';

/**
 * Leader leases (server/db/leader-lease.ts): which server of the database runs a piece of background work
 * that must run on one server at a time (SLA scans, the background re-embedding, scheduled backups), and
 * until when. `expires_at` is in milliseconds since the epoch, on the database's clock. Only PostgreSQL uses it
 * (on SQLite one process owns the database); it exists on both so the schemas match.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('leases', (t) => {
    t.string('name', 100).primary();
    t.string('holder', 100).notNullable();
    t.bigInteger('expires_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('leases');
}
