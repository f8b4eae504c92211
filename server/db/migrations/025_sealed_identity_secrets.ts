import type { Knex } from 'knex';

/**
 * Websites' identity secrets are stored sealed (AES-256-GCM, server/domains/identity-secret.ts), which is longer
 * than the 64 hex characters of 016's column. The sealing itself runs when the server starts (it needs the
 * instance's key, which migrations do not have). SQLite does not enforce a VARCHAR length, so only PostgreSQL
 * changes.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg')
    await knex.schema.alterTable('domains', (t) => {
      t.text('identity_secret').alter();
    });
}

/** Nothing to undo: the wider column holds what the narrower one did, and sealed secrets would not fit back. */
export async function down(): Promise<void> {}
