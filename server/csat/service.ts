import type { Deps } from '../deps.js';
import { nowIso } from '../db/knex.js';
import { contactSenderName, presentConversation, presentMessage } from '../conversations/presenter.js';
import { findConversation, insertMessage, lockConversation, messageRow } from '../conversations/repo.js';
import { recordEvent } from '../events/record.js';
import { conflict, notFound } from '../errors.js';
import { presentRating, type PresentedRating } from './presenter.js';
import { insertRating, ratingOfResolution } from './repo.js';

/** The transcript line a rating adds: the stars as a number ("4/5"), which screen readers say plainly. */
const ratingActivity = (name: string, rating: number, comment: string | null) =>
  `${name} rated the conversation ${rating}/5${comment ? `: “${comment}”` : ''}`;

/**
 * The visitor rates the conversation's current resolution, once (409 `already_rated` after that, until it is
 * reopened and resolved again); a conversation that is not resolved is a 409 `not_resolved`. The rating and
 * its activity line (`content_attributes: {kind:"csat", rating, comment}`, pushed and sent to webhooks as
 * `message_created`) commit together.
 */
export async function rateConversation(
  deps: Deps,
  accountId: number,
  conversationId: number,
  input: { rating: number; comment?: string },
): Promise<PresentedRating> {
  return deps.db.transaction(async (trx) => {
    await lockConversation(trx, conversationId);
    const conversation = await findConversation(trx, accountId, conversationId);
    if (!conversation) throw notFound('Conversation');
    if (conversation.status !== 'resolved' || !conversation.resolved_at)
      throw conflict('not_resolved', 'Only a resolved conversation can be rated.');
    if (await ratingOfResolution(trx, conversation.id, conversation.resolved_at))
      throw conflict('already_rated', 'This conversation was already rated since it was resolved.');
    const now = nowIso(deps.now());
    const comment = input.comment || null;
    const rating = await insertRating(trx, {
      account_id: accountId,
      conversation_id: conversation.id,
      rating: input.rating,
      comment,
      resolved_at: conversation.resolved_at,
      created_at: now,
    });
    const name = contactSenderName({ name: conversation.contact_name, email: conversation.contact_email });
    const message = await insertMessage(
      trx,
      messageRow(
        accountId,
        conversation.id,
        {
          content: ratingActivity(name, input.rating, comment),
          message_type: 'activity',
          sender: { type: 'contact', id: conversation.contact_id, name },
          content_attributes: { kind: 'csat', rating: input.rating, ...(comment ? { comment } : {}) },
        },
        now,
      ),
    );
    await recordEvent(deps, trx, {
      account_id: accountId,
      conversation_id: conversation.id,
      type: 'message_created',
      payload: { message: presentMessage(message), conversation: presentConversation(conversation) },
    });
    return presentRating(rating);
  });
}

/** The rating of the conversation's current resolution: null while it is not resolved, or not rated yet. */
export async function currentRating(deps: Pick<Deps, 'db'>, conversation: { id: number; status: string; resolved_at: string | null }) {
  if (conversation.status !== 'resolved' || !conversation.resolved_at) return null;
  const row = await ratingOfResolution(deps.db, conversation.id, conversation.resolved_at);
  return row ? presentRating(row) : null;
}
