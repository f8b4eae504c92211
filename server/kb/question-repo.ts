import type { Knex } from 'knex';
import { countOf } from '../db/knex.js';

/** Where an alternate question came from: typed by the owner, learned from a visitor's pick or an agent's reply, or imported. */
export const QUESTION_SOURCES = ['manual', 'visitor', 'agent', 'import'] as const;
export type QuestionSource = (typeof QUESTION_SOURCES)[number];

export type QuestionRow = { id: number; item_id: number; question: string; source: QuestionSource; created_at: string };

/** Two phrasings that differ only in case or spacing are the same question. */
export const normalizeQuestion = (question: string) => question.trim().replace(/\s+/g, ' ').toLowerCase();

const COLUMNS = ['id', 'item_id', 'question', 'source', 'created_at'] as const;
const toQuestion = (row: Record<string, unknown>): QuestionRow => ({
  ...(row as QuestionRow),
  id: Number(row.id),
  item_id: Number(row.item_id),
});

/** The questions of some items of one account, oldest first, grouped by item id. */
export async function questionsOf(db: Knex, accountId: number, itemIds: number[]): Promise<Map<number, QuestionRow[]>> {
  const byItem = new Map<number, QuestionRow[]>(itemIds.map((id) => [id, []]));
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = await db('kb_item_questions')
      .where('account_id', accountId)
      .whereIn('item_id', itemIds.slice(i, i + 500))
      .orderBy('id')
      .select(...COLUMNS);
    for (const row of rows.map(toQuestion)) byItem.get(row.item_id)?.push(row);
  }
  return byItem;
}

export async function findQuestion(db: Knex, accountId: number, itemId: number, id: number): Promise<QuestionRow | undefined> {
  const row = await db('kb_item_questions')
    .where({ account_id: accountId, item_id: itemId, id })
    .first(...COLUMNS);
  return row ? toQuestion(row) : undefined;
}

export async function findQuestionByText(db: Knex, itemId: number, question: string): Promise<QuestionRow | undefined> {
  const row = await db('kb_item_questions')
    .where({ item_id: itemId, normalized: normalizeQuestion(question) })
    .first(...COLUMNS);
  return row ? toQuestion(row) : undefined;
}

export async function countQuestions(db: Knex, itemId: number): Promise<number> {
  return countOf(await db('kb_item_questions').where({ item_id: itemId }).count('* as n').first());
}

export type NewQuestion = { itemId: number; question: string; source: QuestionSource };

/** Inserts questions (the caller has removed duplicates and checked the per-item limit). */
export async function insertQuestions(
  trx: Knex.Transaction,
  accountId: number,
  questions: NewQuestion[],
  now: string,
): Promise<QuestionRow[]> {
  const created: QuestionRow[] = [];
  for (let i = 0; i < questions.length; i += 200) {
    const rows = questions.slice(i, i + 200).map((q) => ({
      account_id: accountId,
      item_id: q.itemId,
      question: q.question.trim(),
      normalized: normalizeQuestion(q.question),
      source: q.source,
      created_at: now,
    }));
    const inserted: Record<string, unknown>[] = await trx('kb_item_questions')
      .insert(rows)
      .returning([...COLUMNS]);
    created.push(...inserted.map(toQuestion).sort((a, b) => a.id - b.id));
  }
  return created;
}

export async function deleteQuestion(db: Knex, accountId: number, itemId: number, id: number): Promise<boolean> {
  return (await db('kb_item_questions').where({ account_id: accountId, item_id: itemId, id }).delete()) > 0;
}
