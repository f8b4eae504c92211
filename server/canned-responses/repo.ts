import type { Knex } from 'knex';
import { countOf } from '../db/knex.js';
import { likePattern } from '../db/like.js';
import { pageRange, type Pagination } from '../db/pagination.js';

export type CannedResponseRow = {
  id: number;
  account_id: number;
  short_code: string;
  content: string;
  created_at: string;
  updated_at: string;
};

function matching(db: Knex, accountId: number, q: string | undefined) {
  const query = db('canned_responses').where('account_id', accountId);
  if (q) {
    const pattern = likePattern(q);
    query.where((w) =>
      w.whereRaw(`lower(short_code) like ? escape '\\'`, [pattern]).orWhereRaw(`lower(content) like ? escape '\\'`, [pattern]),
    );
  }
  return query;
}

/** The account's responses, by short code; with `q`, those whose code or content contains it (codes that start with it first). */
export async function listCannedResponses(
  db: Knex,
  accountId: number,
  q: string | undefined,
  page: Pagination,
): Promise<{ rows: CannedResponseRow[]; total: number }> {
  const { offset, limit } = pageRange(page);
  const rows = matching(db, accountId, q);
  if (q) rows.orderByRaw(`case when short_code like ? escape '\\' then 0 else 1 end`, [`${likePattern(q).slice(1)}`]);
  const [list, total] = await Promise.all([
    rows.orderBy('short_code').offset(offset).limit(limit),
    matching(db, accountId, q).count('* as n').first(),
  ]);
  return { rows: list, total: countOf(total) };
}

export async function findCannedResponse(db: Knex, accountId: number, id: number): Promise<CannedResponseRow | undefined> {
  return db('canned_responses').where({ account_id: accountId, id }).first();
}

export async function insertCannedResponse(
  db: Knex,
  values: Pick<CannedResponseRow, 'account_id' | 'short_code' | 'content' | 'created_at'>,
): Promise<CannedResponseRow> {
  const [row] = await db('canned_responses')
    .insert({ ...values, updated_at: values.created_at })
    .returning('*');
  return row as CannedResponseRow;
}

export async function updateCannedResponse(
  db: Knex,
  accountId: number,
  id: number,
  changes: Partial<Pick<CannedResponseRow, 'short_code' | 'content'>> & { updated_at: string },
): Promise<CannedResponseRow | undefined> {
  const [row] = await db('canned_responses').where({ account_id: accountId, id }).update(changes).returning('*');
  return row as CannedResponseRow | undefined;
}

export async function deleteCannedResponse(db: Knex, accountId: number, id: number): Promise<boolean> {
  return (await db('canned_responses').where({ account_id: accountId, id }).delete()) > 0;
}
