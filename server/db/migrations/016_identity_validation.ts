import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Identity validation (as Chatwoot's): each website gets a secret its own server signs visitors' e-mails
 * with (`identifier_hash`), and a contact records whether anyone vouched for it — the website through a
 * valid hash, or an agent who chose it. Contacts made before this were never vouched for.
 *
 * Run outside the batch's transaction (in its own), as 014_ai_replies: on SQLite, ALTER TABLE fails ("SQL
 * logic error") in a transaction that earlier dropped a virtual table, as 010_kb_questions drops the FTS5 one.
 */
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.schema.alterTable('domains', (t) => {
      t.string('identity_secret', 64);
    });
    for (const { id } of await trx('domains').select('id'))
      await trx('domains')
        .where({ id })
        .update({ identity_secret: randomBytes(32).toString('hex') });
    await trx.schema.alterTable('contacts', (t) => {
      t.boolean('verified').notNullable().defaultTo(false);
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.dropColumn('verified');
  });
  await knex.schema.alterTable('domains', (t) => {
    t.dropColumn('identity_secret');
  });
}
