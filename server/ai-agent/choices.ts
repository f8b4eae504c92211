import type { Deps } from '../deps.js';
import type { PresentedMessage } from '../conversations/presenter.js';
import type { ConversationRow, Sender } from '../conversations/repo.js';
import { findMessage } from '../conversations/repo.js';
import { addMessage, updateMessageAttributes } from '../conversations/service.js';
import { conflict, validationFailed } from '../errors.js';
import { findAiReplyByMessage, updateAiReply } from './repo.js';

export type ChoiceReply = { content: string; submitted_value: string; in_reply_to: number };

/**
 * A visitor answers the bot's choices (contract, "Choices"): `in_reply_to` must be a choices message of this
 * conversation and `submitted_value` one of the values it offered (422 otherwise); each choices message is
 * answered once (409 after). The pick is recorded on the choices message (`submitted_value`, announced as
 * `message_updated`), then the visitor's reply is added; the AI agent answers it with the item or hands off.
 */
export async function submitChoice(
  deps: Deps,
  conversation: ConversationRow,
  reply: ChoiceReply,
  sender: Sender,
): Promise<PresentedMessage> {
  const choices = await findMessage(deps.db, conversation.account_id, reply.in_reply_to);
  if (!choices || choices.conversation_id !== conversation.id || choices.content_attributes.kind !== 'choices')
    throw validationFailed([{ field: 'in_reply_to', message: 'must be the id of a choices message in this conversation' }]);
  const offered = (choices.content_attributes.items ?? []).map((item) => item.value);
  if (!offered.includes(reply.submitted_value))
    throw validationFailed([{ field: 'submitted_value', message: `must be one of the values offered: ${offered.join(', ')}` }]);
  await updateMessageAttributes(deps, conversation.account_id, choices.id, (attributes) => {
    if (attributes.submitted_value !== undefined) throw conflict('choice_already_made', 'These choices were already answered.');
    return { ...attributes, submitted_value: reply.submitted_value };
  });
  const row = await findAiReplyByMessage(deps.db, conversation.account_id, choices.id);
  if (row) await updateAiReply(deps.db, row.id, { picked_value: reply.submitted_value });
  return addMessage(deps, conversation.account_id, conversation.id, {
    content: reply.content,
    message_type: 'incoming',
    sender,
    content_attributes: { submitted_value: reply.submitted_value, in_reply_to: choices.id },
  });
}
