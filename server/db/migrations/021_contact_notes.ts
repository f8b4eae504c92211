import type { Knex } from 'knex';

/**
 * Agents' notes on a contact (contract, "Daily support work": `PUT /nc-api/v1/contacts/:id`).
 *
 * Run outside the batch's transaction (in its own), as 014_ai_replies: on SQLite, ALTER TABLE fails ("SQL
 * logic error") in a transaction that earlier dropped a virtual table, as 010_kb_questions drops the FTS5 one.
 */
export const config = { transaction: false };

export async function up(root: Knex): Promise<void> {
  await root.transaction(async (knex) => {
    await knex.schema.alterTable('contacts', (t) => {
      t.text('notes');
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.dropColumn('notes');
  });
}
