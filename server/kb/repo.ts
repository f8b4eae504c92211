import type { Knex } from 'knex';
import { countOf, isPostgres } from '../db/knex.js';
import { likePattern } from '../db/like.js';
import type { Pagination } from '../db/pagination.js';
import { insertQuestions, normalizeQuestion, questionsOf, type QuestionRow } from './question-repo.js';

export type KbItemRow = {
  id: number;
  account_id: number;
  title: string;
  content: string;
  category: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  /** Its alternate questions, oldest first. */
  questions: QuestionRow[];
};

/** `questions`: alternate questions from an import (source `import`); duplicates among them are dropped. */
export type NewKbItem = { title: string; content: string; category: string | null; tags: string[]; questions?: string[] };

/** What PUT may change (alternate questions have their own endpoints). */
export type ItemChanges = Partial<Omit<NewKbItem, 'questions'>>;

export type ItemFilters = { q?: string; category?: string; tag?: string };

const toItem = (row: Record<string, unknown>): KbItemRow => ({
  ...(row as Omit<KbItemRow, 'tags' | 'questions'>),
  tags: JSON.parse(String(row.tags ?? '[]')) as string[],
  questions: [],
});

/** Rows as items, each with its alternate questions (one query for all of them). */
async function withQuestions(db: Knex, accountId: number, rows: Record<string, unknown>[]): Promise<KbItemRow[]> {
  const items = rows.map(toItem);
  const questions = await questionsOf(
    db,
    accountId,
    items.map((item) => item.id),
  );
  for (const item of items) item.questions = questions.get(item.id) ?? [];
  return items;
}

function filtered(db: Knex, accountId: number, filters: ItemFilters) {
  const query = db('kb_items').where('account_id', accountId);
  if (filters.q) {
    const pattern = likePattern(filters.q);
    query.where((w) => w.whereRaw(`lower(title) like ? escape '\\'`, [pattern]).orWhereRaw(`lower(content) like ? escape '\\'`, [pattern]));
  }
  if (filters.category) query.whereRaw('lower(category) = ?', [filters.category.toLowerCase()]);
  // Tags are stored as a JSON array of strings, so an exact tag is the quoted string inside it.
  if (filters.tag) query.whereRaw(`lower(tags) like ? escape '\\'`, [likePattern(JSON.stringify(filters.tag))]);
  return query;
}

export async function listItems(
  db: Knex,
  accountId: number,
  filters: ItemFilters,
  page: Pagination,
): Promise<{ items: KbItemRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    filtered(db, accountId, filters)
      .orderBy('id', 'desc')
      .limit(page.per_page)
      .offset((page.page - 1) * page.per_page),
    filtered(db, accountId, filters).count('* as n').first(),
  ]);
  return { items: await withQuestions(db, accountId, rows), total: countOf(total) };
}

export async function findItem(db: Knex, accountId: number, id: number): Promise<KbItemRow | undefined> {
  const row = await db('kb_items').where({ account_id: accountId, id }).first();
  return row ? (await withQuestions(db, accountId, [row]))[0] : undefined;
}

/** Items of one account by id, in the order of `ids` (ids of other accounts or deleted items are skipped). */
export async function findItemsByIds(db: Knex, accountId: number, ids: number[]): Promise<KbItemRow[]> {
  if (!ids.length) return [];
  const rows = await db('kb_items').where('account_id', accountId).whereIn('id', ids);
  const byId = new Map((await withQuestions(db, accountId, rows)).map((item) => [item.id, item]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Accounts that have KB items. */
export async function accountsWithItems(db: Knex): Promise<number[]> {
  const rows: { account_id: number }[] = await db('kb_items').distinct('account_id');
  return rows.map((r) => Number(r.account_id));
}

/** All of an account's items with their alternate questions, in id order, a page at a time (what the search indexes read). */
export async function* itemPages(db: Knex, accountId: number, pageSize = 2000): AsyncGenerator<KbItemRow[]> {
  for (let after = 0; ;) {
    const rows: Record<string, unknown>[] = await db('kb_items')
      .where('account_id', accountId)
      .andWhere('id', '>', after)
      .orderBy('id')
      .limit(pageSize);
    if (rows.length === 0) return;
    yield withQuestions(db, accountId, rows);
    after = Number(rows[rows.length - 1]!.id);
  }
}

/**
 * Some items' current texts (alternate questions not included) inside a transaction; on PostgreSQL the rows stay
 * locked until it ends, so a rewrite cannot commit between reading them and acting on them.
 */
export async function lockItems(trx: Knex.Transaction, accountId: number, ids: number[]): Promise<KbItemRow[]> {
  if (!ids.length) return [];
  const query = trx('kb_items').where('account_id', accountId).whereIn('id', ids).orderBy('id');
  return (isPostgres(trx) ? await query.forUpdate() : await query).map(toItem);
}

const INSERT_CHUNK = 100;

export async function insertItems(trx: Knex.Transaction, accountId: number, items: NewKbItem[], now: string): Promise<KbItemRow[]> {
  const created: KbItemRow[] = [];
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    const rows = items.slice(i, i + INSERT_CHUNK).map((item) => ({
      account_id: accountId,
      title: item.title,
      content: item.content,
      category: item.category,
      tags: JSON.stringify(item.tags),
      created_at: now,
      updated_at: now,
    }));
    const inserted: Record<string, unknown>[] = await trx('kb_items').insert(rows).returning('*');
    created.push(...inserted.map(toItem).sort((a, b) => a.id - b.id));
  }
  const questions = created.flatMap((item, i) => {
    const seen = new Set<string>();
    return (items[i]!.questions ?? []).flatMap((question) => {
      const key = normalizeQuestion(question);
      if (!key || seen.has(key)) return [];
      seen.add(key);
      return [{ itemId: item.id, question, source: 'import' as const }];
    });
  });
  const byId = new Map(created.map((item) => [item.id, item]));
  for (const question of await insertQuestions(trx, accountId, questions, now)) byId.get(question.item_id)!.questions.push(question);
  return created;
}

export async function updateItem(
  db: Knex,
  accountId: number,
  id: number,
  changes: ItemChanges,
  now: string,
): Promise<KbItemRow | undefined> {
  const values: Record<string, unknown> = { ...changes, updated_at: now };
  if (changes.tags) values.tags = JSON.stringify(changes.tags);
  const updated = await db('kb_items').where({ account_id: accountId, id }).update(values);
  return updated ? findItem(db, accountId, id) : undefined;
}

export async function deleteItem(db: Knex, accountId: number, id: number): Promise<boolean> {
  return (await db('kb_items').where({ account_id: accountId, id }).delete()) > 0;
}

export async function countItems(db: Knex, accountId: number): Promise<number> {
  return countOf(await db('kb_items').where('account_id', accountId).count('* as n').first());
}
