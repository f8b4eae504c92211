import type { Knex } from 'knex';

/**
 * The SLA clocks read, for each open conversation, its contact's first message and the first public reply
 * after it (conversations/repo.ts `openConversationTimes`): with messages indexed by conversation and type in
 * id order each is one index seek, where grouping every message of the open conversations took half a second
 * at 100 000 messages, every sweep, holding SQLite's event loop.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.index(['conversation_id', 'message_type', 'id'], 'messages_by_type');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropIndex(['conversation_id', 'message_type', 'id'], 'messages_by_type');
  });
}
