import type { Knex } from 'knex';
import { countOf, isPostgres } from '../db/knex.js';
import type { Pagination } from '../db/pagination.js';

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

/** Alternate questions by id inside a transaction, locked until it ends on PostgreSQL (as `lockItems`). */
export async function lockQuestions(trx: Knex.Transaction, accountId: number, ids: number[]): Promise<QuestionRow[]> {
  if (!ids.length) return [];
  const query = trx('kb_item_questions')
    .where('account_id', accountId)
    .whereIn('id', ids)
    .select(...COLUMNS);
  return (isPostgres(trx) ? await query.forUpdate() : await query).map(toQuestion);
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

/** A question with the item it belongs to, as the account-wide list shows it. */
export type QuestionWithItem = QuestionRow & { item_title: string };

/** The account's alternate questions from some sources, newest first (the "review learned questions" list). */
export async function listQuestions(
  db: Knex,
  accountId: number,
  sources: readonly QuestionSource[],
  page: Pagination,
): Promise<{ rows: QuestionWithItem[]; total: number }> {
  const scoped = () => db('kb_item_questions as q').where('q.account_id', accountId).whereIn('q.source', sources);
  const [rows, total] = await Promise.all([
    scoped()
      .join('kb_items as i', 'i.id', 'q.item_id')
      .orderBy('q.id', 'desc')
      .offset((page.page - 1) * page.per_page)
      .limit(page.per_page)
      .select(...COLUMNS.map((c) => `q.${c}`), 'i.title as item_title'),
    scoped().count('* as n').first(),
  ]);
  return {
    rows: rows.map((row: Record<string, unknown>) => ({ ...toQuestion(row), item_title: String(row.item_title) })),
    total: countOf(total),
  };
}
