import { z } from 'zod';
import type { Deps } from '../deps.js';
import { isPostgres, nowIso } from '../db/knex.js';
import { AppError, notFound } from '../errors.js';
import { text, validate } from '../validation.js';
import {
  countQuestions,
  deleteQuestion,
  findQuestionByText,
  insertQuestions,
  type QuestionRow,
  type QuestionSource,
} from './question-repo.js';
import { findItem } from './repo.js';
import { MAX_QUESTIONS as MAX_QUESTIONS_PER_ITEM, MAX_TITLE } from './schemas.js';
import { indexNow } from './service.js';

export { MAX_QUESTIONS as MAX_QUESTIONS_PER_ITEM } from './schemas.js';

export const questionText = text(MAX_TITLE);

/**
 * Adds a phrasing customers use to an item (contract, "Alternate questions"); it is searchable when this
 * resolves. A question the item already has (ignoring case and spacing) is not added again: `created` is
 * false and the existing one is returned. The AI agent calls this for questions it learns (`visitor`, `agent`).
 * Throws 404 for an item not in the account, 422 for an empty or too long question or a full item.
 */
export async function addAlternateQuestion(
  deps: Deps,
  accountId: number,
  itemId: number,
  question: string,
  source: QuestionSource,
): Promise<{ question: QuestionRow; created: boolean }> {
  const phrasing = validate(z.object({ question: questionText }), { question }).question;
  const result = await deps.db.transaction(async (trx) => {
    // The item's row lock serialises concurrent adds to it (the single SQLite connection already does).
    const item = trx('kb_items').where({ account_id: accountId, id: itemId }).first('id');
    if (!(await (isPostgres(trx) ? item.forUpdate() : item))) throw notFound('Knowledge base item');
    const existing = await findQuestionByText(trx, itemId, phrasing);
    if (existing) return { question: existing, created: false };
    if ((await countQuestions(trx, itemId)) >= MAX_QUESTIONS_PER_ITEM) {
      throw new AppError(422, 'question_limit_reached', `An item has at most ${MAX_QUESTIONS_PER_ITEM} alternate questions.`, {
        max: MAX_QUESTIONS_PER_ITEM,
      });
    }
    const [created] = await insertQuestions(trx, accountId, [{ itemId, question: phrasing, source }], nowIso(deps.now()));
    return { question: created!, created: true };
  });
  if (result.created) await reindex(deps, accountId, itemId);
  return result;
}

/** Removes an alternate question; it leaves the search index before this resolves. 404 when not the item's. */
export async function removeAlternateQuestion(deps: Deps, accountId: number, itemId: number, questionId: number): Promise<void> {
  if (!(await deleteQuestion(deps.db, accountId, itemId, questionId))) throw notFound('Alternate question');
  await reindex(deps, accountId, itemId);
}

async function reindex(deps: Deps, accountId: number, itemId: number): Promise<void> {
  const item = await findItem(deps.db, accountId, itemId);
  if (item) await indexNow(deps, accountId, [item]);
}
