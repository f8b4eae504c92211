import type { Knex } from 'knex';
import { findConversation } from '../conversations/repo.js';
import type { StoredEvent } from '../events/types.js';

/** `verified`: the site vouched for the e-mail (identifier_hash); a receiver must not trust one that is not. */
type Contact = { name: string | null; email: string | null; verified: boolean };

/** The contact as the event's conversation carries it, else (an event recorded without one) as stored. */
async function contactOf(trx: Knex.Transaction, event: StoredEvent): Promise<Contact | null> {
  const contact = (event.data as Partial<StoredEvent['data']>).conversation?.contact;
  if (contact) return { name: contact.name ?? null, email: contact.email ?? null, verified: contact.verified === true };
  if (event.conversation_id === null) return null;
  const conversation = await findConversation(trx, event.account_id, event.conversation_id);
  return conversation
    ? { name: conversation.contact_name, email: conversation.contact_email, verified: conversation.contact_verified }
    : null;
}

/**
 * The webhook body, in the quick-start's shape: `{event, conversation_id, account_id, contact:{name,email}}`
 * (with `contact.verified`),
 * plus the event id and time and the event's data (`conversation`, `message`, `sla`).
 */
export async function webhookPayload(trx: Knex.Transaction, event: StoredEvent): Promise<Record<string, unknown>> {
  return {
    event: event.type,
    id: event.id,
    conversation_id: event.conversation_id,
    account_id: event.account_id,
    contact: await contactOf(trx, event),
    created_at: event.created_at,
    ...event.data,
  };
}
