import type { Knex } from 'knex';

/**
 * Retrieval storage: one vector per KB item (the embedder that made it is recorded so a model change
 * can be detected and re-embedded) and the lexical index. SQLite: an FTS5 external-content table over
 * kb_items(title, content) kept in sync by triggers. PostgreSQL: a GIN index over the same tsvector
 * expression that server/retrieval/lexical.ts queries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kb_item_vectors', (t) => {
    t.integer('item_id').primary().references('kb_items.id').onDelete('CASCADE');
    t.integer('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('embedder', 200).notNullable();
    t.integer('dimensions').notNullable();
    // Float32 little-endian: blob on SQLite, bytea on PostgreSQL.
    t.binary('vector').notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['account_id', 'embedder']);
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(
      `CREATE INDEX kb_items_tsv ON kb_items USING GIN (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(content, '')))`,
    );
    return;
  }
  await knex.raw(
    `CREATE VIRTUAL TABLE kb_items_fts USING fts5(title, content, content='kb_items', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`,
  );
  await knex.raw(`CREATE TRIGGER kb_items_fts_insert AFTER INSERT ON kb_items BEGIN
    INSERT INTO kb_items_fts(rowid, title, content) VALUES (new.id, new.title, new.content);
  END`);
  await knex.raw(`CREATE TRIGGER kb_items_fts_delete AFTER DELETE ON kb_items BEGIN
    INSERT INTO kb_items_fts(kb_items_fts, rowid, title, content) VALUES ('delete', old.id, old.title, old.content);
  END`);
  await knex.raw(`CREATE TRIGGER kb_items_fts_update AFTER UPDATE OF title, content ON kb_items BEGIN
    INSERT INTO kb_items_fts(kb_items_fts, rowid, title, content) VALUES ('delete', old.id, old.title, old.content);
    INSERT INTO kb_items_fts(rowid, title, content) VALUES (new.id, new.title, new.content);
  END`);
  // Items written before this migration.
  await knex.raw(`INSERT INTO kb_items_fts(kb_items_fts) VALUES ('rebuild')`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP INDEX IF EXISTS kb_items_tsv');
  } else {
    for (const trigger of ['insert', 'delete', 'update']) await knex.raw(`DROP TRIGGER IF EXISTS kb_items_fts_${trigger}`);
    await knex.raw('DROP TABLE IF EXISTS kb_items_fts');
  }
  await knex.schema.dropTable('kb_item_vectors');
}
