import type { Knex } from 'knex';

/** Q&A drafts extracted from conversations, waiting for a person to approve (→ KB item) or reject them. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kb_drafts', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    // The conversation may be deleted with its website; the draft stays useful without it.
    t.integer('source_conversation_id').references('conversations.id').onDelete('SET NULL');
    t.string('title', 500).notNullable();
    t.text('content').notNullable();
    t.string('category', 100);
    t.text('tags').notNullable().defaultTo('[]');
    t.string('status', 20).notNullable();
    t.integer('kb_item_id').references('kb_items.id').onDelete('SET NULL');
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['account_id', 'status']);
    t.index(['account_id', 'source_conversation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_drafts');
}
