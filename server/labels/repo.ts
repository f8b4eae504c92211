import type { Knex } from 'knex';
import { countOf } from '../db/knex.js';
import { pageRange, type Pagination } from '../db/pagination.js';

export type LabelRow = { id: number; account_id: number; title: string; color: string; created_at: string; conversations_count: number };

function labelsWithCounts(db: Knex, accountId: number) {
  return db('labels as l')
    .where('l.account_id', accountId)
    .select('l.*', db.raw('(select count(*) from conversation_labels cl where cl.label_id = l.id) as conversations_count'));
}

const toLabel = (row: Record<string, unknown>): LabelRow => ({
  ...(row as LabelRow),
  conversations_count: Number(row.conversations_count ?? 0),
});

export async function listLabels(db: Knex, accountId: number, page: Pagination): Promise<{ rows: LabelRow[]; total: number }> {
  const { offset, limit } = pageRange(page);
  const [rows, total] = await Promise.all([
    labelsWithCounts(db, accountId).orderBy('l.title').offset(offset).limit(limit),
    db('labels').where('account_id', accountId).count('* as n').first(),
  ]);
  return { rows: rows.map(toLabel), total: countOf(total) };
}

export async function findLabel(db: Knex, accountId: number, id: number): Promise<LabelRow | undefined> {
  const row = await labelsWithCounts(db, accountId).where('l.id', id).first();
  return row ? toLabel(row) : undefined;
}

/** The account's labels with these titles (lower-cased already). */
export async function labelsTitled(db: Knex, accountId: number, titles: string[]): Promise<LabelRow[]> {
  if (!titles.length) return [];
  return (await labelsWithCounts(db, accountId).whereIn('l.title', titles)).map(toLabel);
}

export async function insertLabel(db: Knex, values: Pick<LabelRow, 'account_id' | 'title' | 'color' | 'created_at'>): Promise<number> {
  const [row] = await db('labels').insert(values).returning('id');
  return (row as { id: number }).id;
}

export async function updateLabel(db: Knex, id: number, changes: Partial<Pick<LabelRow, 'title' | 'color'>>): Promise<void> {
  await db('labels').where({ id }).update(changes);
}

export async function deleteLabel(db: Knex, id: number): Promise<void> {
  await db('labels').where({ id }).delete();
}

/** The ids of the account's conversations that carry the label titled so: a subquery for the conversation list's filter. */
export function conversationsLabelled(db: Knex, accountId: number, title: string): Knex.QueryBuilder {
  return db('conversation_labels as cl')
    .join('labels as lb', 'lb.id', 'cl.label_id')
    .where({ 'lb.account_id': accountId, 'lb.title': title })
    .select('cl.conversation_id');
}

/** Conversations carrying a label, each with its other labels' titles (for re-writing their sorted lists). */
export async function labelTitlesOfConversationsWith(db: Knex, labelId: number): Promise<Map<number, string[]>> {
  const rows: { conversation_id: number; label_id: number; title: string }[] = await db('conversation_labels as cl')
    .join('labels as lb', 'lb.id', 'cl.label_id')
    .whereIn('cl.conversation_id', db('conversation_labels').where('label_id', labelId).select('conversation_id'))
    .select('cl.conversation_id', 'cl.label_id', 'lb.title');
  const byConversation = new Map<number, string[]>();
  for (const row of rows) {
    const others = byConversation.get(Number(row.conversation_id)) ?? [];
    if (Number(row.label_id) !== labelId) others.push(row.title);
    byConversation.set(Number(row.conversation_id), others);
  }
  return byConversation;
}

export async function replaceConversationLabels(trx: Knex.Transaction, conversationId: number, labelIds: number[]): Promise<void> {
  await trx('conversation_labels').where('conversation_id', conversationId).delete();
  if (labelIds.length) await trx('conversation_labels').insert(labelIds.map((label_id) => ({ conversation_id: conversationId, label_id })));
}
