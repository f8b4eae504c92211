import { nowIso } from '../db/knex.js';
import type { EventContext, TypingSender } from './types.js';

/** Typing indicators are ephemeral: published on the bus, never stored. A private one (an agent writing a note) stays in the console. */
export function publishTyping(
  events: Pick<EventContext, 'bus' | 'now'>,
  conversation: { account_id: number; id: number },
  typing: boolean,
  sender: TypingSender,
  isPrivate = false,
): void {
  events.bus.publish({
    id: null,
    type: 'typing',
    account_id: conversation.account_id,
    conversation_id: conversation.id,
    data: { typing, sender, ...(isPrivate ? { private: true } : {}) },
    created_at: nowIso(events.now()),
  });
}
