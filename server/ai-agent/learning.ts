import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { QuestionSource } from '../kb/question-repo.js';
import { addAlternateQuestion, removeAlternateQuestion } from '../kb/questions.js';
import { openQuestions } from './assist.js';
import { updateAiReply, type AiReplyRow } from './repo.js';

/**
 * How the bot learns (contract, "Alternate questions", "Agent assist"): a question a visitor resolved by picking
 * an item from the choices, and the questions a human agent answered with an item, become alternate questions of
 * that item, so the next visitor who asks them gets the answer directly. Learning never fails a reply: a question
 * too long to keep, an item full or deleted since, is left out (logged).
 */
async function learn(deps: Deps, accountId: number, itemId: number, question: string, source: QuestionSource): Promise<number | null> {
  try {
    const { question: learned, created } = await addAlternateQuestion(deps, accountId, itemId, question, source);
    return created ? learned.id : null;
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    deps.log.info({ account_id: accountId, item_id: itemId, code: err.code }, 'question not learned');
    return null;
  }
}

/**
 * A visitor picked `itemId` from the choices their question led to: the question becomes the item's (`visitor`).
 * The id of the question added is kept on the reply, so "not helpful" on the answer can take it back.
 */
export async function learnFromPick(deps: Deps, accountId: number, reply: AiReplyRow, itemId: number): Promise<void> {
  const learned = await learn(deps, accountId, itemId, reply.question, 'visitor');
  if (learned !== null) await updateAiReply(deps.db, reply.id, { learned_question_id: learned });
}

/** The answer a pick led to did not help: the question learned from the pick is not kept. */
export async function unlearn(deps: Deps, accountId: number, reply: AiReplyRow): Promise<void> {
  if (reply.learned_question_id === null || reply.kb_item_id === null) return;
  try {
    await removeAlternateQuestion(deps, accountId, reply.kb_item_id, reply.learned_question_id);
  } catch (err) {
    // Removed by hand already, or the item is gone: nothing left to take back.
    if (!(err instanceof AppError) || err.status !== 404) throw err;
  }
  await updateAiReply(deps.db, reply.id, { learned_question_id: null });
}

/**
 * A human agent answered with `itemId` (message `messageId`): the contact's questions since the last reply become
 * the item's (`agent`). Resolves once they are searchable.
 */
export async function learnFromAgentReply(deps: Deps, accountId: number, conversationId: number, messageId: number, itemId: number) {
  for (const { question } of await openQuestions(deps, accountId, conversationId, messageId))
    await learn(deps, accountId, itemId, question, 'agent');
}
