import type { Knex } from 'knex';
import { countOf } from '../db/knex.js';
import type { Pagination } from '../db/pagination.js';

export type DraftStatus = 'draft' | 'approved' | 'rejected';

export type DraftRow = {
  id: number;
  account_id: number;
  source_conversation_id: number | null;
  title: string;
  content: string;
  category: string | null;
  tags: string[];
  status: DraftStatus;
  kb_item_id: number | null;
  created_at: string;
  updated_at: string;
};

const toDraft = (row: Record<string, unknown>): DraftRow => ({
  ...(row as Omit<DraftRow, 'tags'>),
  tags: JSON.parse(String(row.tags ?? '[]')) as string[],
});

export async function insertDraft(
  db: Knex,
  values: { account_id: number; source_conversation_id: number; title: string; content: string; category: string | null; tags: string[] },
  now: string,
): Promise<DraftRow> {
  const [row] = await db('kb_drafts')
    .insert({ ...values, tags: JSON.stringify(values.tags), status: 'draft', created_at: now, updated_at: now })
    .returning('*');
  return toDraft(row);
}

export async function draftsOfConversation(db: Knex, accountId: number, conversationId: number): Promise<DraftRow[]> {
  const rows = await db('kb_drafts').where({ account_id: accountId, source_conversation_id: conversationId }).orderBy('id');
  return rows.map(toDraft);
}

export async function listDrafts(
  db: Knex,
  accountId: number,
  filters: { status?: DraftStatus; conversation_id?: number },
  page: Pagination,
): Promise<{ drafts: DraftRow[]; total: number }> {
  const scoped = () => {
    const query = db('kb_drafts').where('account_id', accountId);
    if (filters.status) query.where('status', filters.status);
    if (filters.conversation_id) query.where('source_conversation_id', filters.conversation_id);
    return query;
  };
  const [rows, total] = await Promise.all([
    scoped()
      .orderBy('id', 'desc')
      .limit(page.per_page)
      .offset((page.page - 1) * page.per_page),
    scoped().count('* as n').first(),
  ]);
  return { drafts: rows.map(toDraft), total: countOf(total) };
}

export async function findDraft(db: Knex, accountId: number, id: number): Promise<DraftRow | undefined> {
  const row = await db('kb_drafts').where({ account_id: accountId, id }).first();
  return row ? toDraft(row) : undefined;
}

/** Moves a draft out of `draft` status; false when it was not (or no longer) a pending draft. */
export async function closeDraft(
  db: Knex,
  accountId: number,
  id: number,
  changes: {
    status: 'approved' | 'rejected';
    kb_item_id?: number;
    title?: string;
    content?: string;
    category?: string | null;
    tags?: string[];
  },
  now: string,
): Promise<boolean> {
  const values: Record<string, unknown> = { ...changes, updated_at: now };
  if (changes.tags) values.tags = JSON.stringify(changes.tags);
  const updated = await db('kb_drafts').where({ account_id: accountId, id, status: 'draft' }).update(values);
  return updated > 0;
}
