import type { Knex } from 'knex';

/**
 * Attachments (server/attachments/): files visitors and agents send with messages, kept in the database
 * (BLOB on SQLite, bytea on PostgreSQL) so backups and every server of one database have them, with an
 * image's thumbnail beside it. A message keeps the list of its attachments (`messages.attachments`, JSON
 * of id, filename, type and size) so every answer, push and webhook presents it without another query.
 *
 * Run in its own transaction, as 014 and 016: on SQLite, ALTER TABLE fails in a transaction that earlier
 * dropped a virtual table (010_kb_questions drops the FTS5 one).
 */
export const config = { transaction: false };

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.schema.createTable('attachments', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
      t.integer('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
      // Set in the transaction that writes the message: the rows are inserted first, to learn their ids.
      t.integer('message_id').references('messages.id').onDelete('CASCADE');
      t.string('filename', 255).notNullable();
      t.string('content_type', 100).notNullable();
      t.integer('size').notNullable();
      t.binary('data').notNullable();
      t.binary('thumbnail');
      t.string('created_at', 30).notNullable();
      t.index(['message_id']);
    });
    await trx.schema.alterTable('messages', (t) => {
      t.text('attachments');
    });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('attachments');
  });
  await knex.schema.dropTable('attachments');
}
