import type { Deps } from '../deps.js';
import type { PresentedMessage } from '../conversations/presenter.js';
import type { ConversationRow } from '../conversations/repo.js';
import { findMessage } from '../conversations/repo.js';
import { updateMessageAttributes } from '../conversations/service.js';
import { conflict, notFound, validationFailed } from '../errors.js';
import { unlearn } from './learning.js';
import { handOff, stageOf } from './moves.js';
import { loadAgentContext } from './context.js';
import { findAiReplyByAnswer, updateAiReply } from './repo.js';

/**
 * "Did that answer your question?" (contract, "Answer"): the visitor's yes or no on one of the bot's answers,
 * kept on the message (`helpful`, announced as `message_updated`) and against the item in the reply log the AI
 * report reads. No hands the conversation to a human while the bot still has it. Feedback is given once: the
 * same answer again is a no-op, the other one a 409.
 */
export async function giveFeedback(
  deps: Deps,
  conversation: ConversationRow,
  messageId: number,
  helpful: boolean,
): Promise<PresentedMessage> {
  const accountId = conversation.account_id;
  const message = await findMessage(deps.db, accountId, messageId);
  if (!message || message.conversation_id !== conversation.id || message.private) throw notFound('Message');
  if (message.sender_type !== 'bot' || message.content_attributes.kind !== 'answer')
    throw validationFailed([{ field: 'id', message: "only the AI agent's answers take feedback" }]);
  let changed = false;
  const updated = await updateMessageAttributes(deps, accountId, message.id, (attributes) => {
    if (attributes.helpful === helpful) return attributes;
    if (attributes.helpful !== undefined) throw conflict('feedback_already_given', 'This answer already has feedback.');
    changed = true;
    return { ...attributes, helpful };
  });
  if (!changed) return updated;

  const row = await findAiReplyByAnswer(deps.db, accountId, message.id);
  if (row) await updateAiReply(deps.db, row.id, { helpful });
  if (!helpful) {
    if (row) await unlearn(deps, accountId, row);
    const context = await loadAgentContext(deps.db, accountId, conversation.id);
    if (context?.agent && context.conversation.bot_active) {
      await handOff(deps, stageOf(context, context.agent), 'not_helpful');
      if (row) await updateAiReply(deps.db, row.id, { handed_off: true });
    }
  }
  return updated;
}
