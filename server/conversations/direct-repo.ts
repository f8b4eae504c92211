import { multiRowInsert, placeholders, type DirectSql } from '../db/direct-transaction.js';
import {
  conversationColumns,
  groupedChanges,
  toConversation,
  toMessage,
  type ConversationRow,
  type MessageRow,
  type StoredMessage,
} from './repo.js';

/**
 * The message writer's statements in plain SQL, for its direct SQLite transactions (db/direct-transaction.ts):
 * the same reads and writes as their knex forms in repo.ts (`findConversations`, `conversationsWithIncoming`,
 * `insertMessages`, `updateConversationsInGroups`), which the writer uses on PostgreSQL and whenever a batch
 * needs a knex transaction (attachments, idempotency keys, webhooks to enqueue).
 */

export function findConversationsDirect(sql: DirectSql, pairs: readonly (readonly [accountId: number, id: number])[]): ConversationRow[] {
  if (!pairs.length) return [];
  const rows = sql.rows(
    `select ${conversationColumns.join(', ')} from conversations as c
       inner join contacts as ct on ct.id = c.contact_id
       left join agents as a on a.id = c.assignee_agent_id
       left join users as u on u.id = a.user_id
     where (c.account_id, c.id) in (${pairs.map(() => '(?, ?)').join(', ')})`,
    pairs.flat(),
  );
  return rows.map((row) => toConversation(row)!);
}

export function conversationsWithIncomingDirect(sql: DirectSql, ids: readonly number[]): Set<number> {
  if (!ids.length) return new Set();
  const rows = sql.rows<{ conversation_id: number }>(
    `select distinct conversation_id from messages where conversation_id in (${placeholders(ids.length)}) and message_type = 'incoming'`,
    ids,
  );
  return new Set(rows.map((r) => Number(r.conversation_id)));
}

export function insertMessagesDirect(sql: DirectSql, values: readonly StoredMessage[]): MessageRow[] {
  if (!values.length) return [];
  // Every row is made by repo.ts `messageRow`, so each has the same columns, all of them.
  return sql
    .rows(...multiRowInsert('messages', values, '*'))
    .map(toMessage)
    .sort((a, b) => a.id - b.id);
}

/** The columns a message moves its conversation along by (message-writer.ts `nextChange`). */
const CHANGEABLE = new Set(['status', 'bot_active', 'updated_at', 'first_reply_at', 'resolved_at', 'last_message_at']);

export function updateConversationsDirect(sql: DirectSql, changes: Map<number, Record<string, unknown>>): void {
  for (const { change, ids } of groupedChanges(changes)) {
    const columns = Object.keys(change);
    // Column names go into the SQL text: only the writer's own.
    if (!columns.length || columns.some((column) => !CHANGEABLE.has(column)))
      throw new Error(`not a message's change: ${columns.join(', ')}`);
    sql.run(`update conversations set ${columns.map((column) => `${column} = ?`).join(', ')} where id in (${placeholders(ids.length)})`, [
      ...columns.map((column) => change[column]),
      ...ids,
    ]);
  }
}
