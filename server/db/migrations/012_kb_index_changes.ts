import type { Knex } from 'knex';

/**
 * Which KB items changed (text, questions, vectors), in commit order as near as ids go: with several servers
 * on one PostgreSQL, each keeps its search indexes in process and reloads the items others changed
 * (server/retrieval/service.ts). No foreign key: a deleted item's change must stay to be seen.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kb_index_changes', (t) => {
    t.bigIncrements('id');
    t.integer('account_id').notNullable();
    t.integer('item_id').notNullable();
    t.string('changed_at', 30).notNullable();
    t.index(['changed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kb_index_changes');
}
