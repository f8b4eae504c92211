import type { Knex } from 'knex';
import type { StoredEvent } from '../events/types.js';

type Contact = { name: string | null; email: string | null };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The contact as the event carries it (conversation events embed it), else as stored. */
async function contactOf(trx: Knex.Transaction, event: StoredEvent): Promise<Contact | null> {
  const conversation = event.data.conversation;
  if (isRecord(conversation) && isRecord(conversation.contact)) {
    const { name = null, email = null } = conversation.contact as Partial<Contact>;
    return { name, email };
  }
  if (event.conversation_id === null) return null;
  const row = await trx('conversations as c')
    .join('contacts as p', 'p.id', 'c.contact_id')
    .where({ 'c.id': event.conversation_id, 'c.account_id': event.account_id })
    .first('p.name', 'p.email');
  return row ? { name: row.name ?? null, email: row.email ?? null } : null;
}

/**
 * The webhook body, in the quick-start's shape: `{event, conversation_id, account_id, contact:{name,email}}`,
 * plus the event id and time and the event's data (`conversation`, `message`, `sla`).
 */
export async function webhookPayload(trx: Knex.Transaction, event: StoredEvent): Promise<Record<string, unknown>> {
  const { event: _e, id: _i, conversation_id: _c, account_id: _a, contact: _p, created_at: _t, ...data } = event.data;
  return {
    event: event.type,
    id: event.id,
    conversation_id: event.conversation_id,
    account_id: event.account_id,
    contact: await contactOf(trx, event),
    created_at: event.created_at,
    ...data,
  };
}
