import type { Knex } from 'knex';
import { countOf } from '../db/knex.js';
import { likePattern } from '../db/like.js';
import { pageRange, type Pagination } from '../db/pagination.js';
import type { ContactRow } from '../conversations/repo.js';

export type ContactListRow = ContactRow & { conversations_count: number; last_activity_at: string | null };

function contactsMatching(db: Knex, accountId: number, q: string | undefined) {
  const query = db('contacts as ct').where('ct.account_id', accountId);
  if (q) {
    const pattern = likePattern(q);
    query.where((w) =>
      w.whereRaw(`lower(ct.name) like ? escape '\\'`, [pattern]).orWhereRaw(`lower(ct.email) like ? escape '\\'`, [pattern]),
    );
  }
  return query;
}

/** Contacts with how many conversations they have and when one last moved. */
function withActivity(db: Knex, query: Knex.QueryBuilder) {
  return query.select(
    'ct.*',
    db.raw('(select count(*) from conversations c where c.contact_id = ct.id) as conversations_count'),
    db.raw('(select max(c.last_message_at) from conversations c where c.contact_id = ct.id) as last_activity_at'),
  );
}

const toListRow = (row: Record<string, unknown>): ContactListRow =>
  ({
    ...row,
    verified: Boolean(row.verified),
    conversations_count: Number(row.conversations_count ?? 0),
    last_activity_at: (row.last_activity_at as string | null) ?? null,
  }) as ContactListRow;

/** The account's contacts, newest first; with `q`, those whose name or e-mail contains it. */
export async function listContacts(
  db: Knex,
  accountId: number,
  q: string | undefined,
  page: Pagination,
): Promise<{ rows: ContactListRow[]; total: number }> {
  const { offset, limit } = pageRange(page);
  const [rows, total] = await Promise.all([
    withActivity(db, contactsMatching(db, accountId, q))
      .orderBy('ct.id', 'desc')
      .offset(offset)
      .limit(limit),
    contactsMatching(db, accountId, q).count('* as n').first(),
  ]);
  return { rows: rows.map(toListRow), total: countOf(total) };
}

export async function findContactWithActivity(db: Knex, accountId: number, id: number): Promise<ContactListRow | undefined> {
  const row = await withActivity(db, db('contacts as ct').where({ 'ct.account_id': accountId, 'ct.id': id })).first();
  return row ? toListRow(row) : undefined;
}

export async function updateContact(
  db: Knex,
  accountId: number,
  id: number,
  changes: Partial<Pick<ContactRow, 'name' | 'email' | 'notes'>>,
): Promise<boolean> {
  return (await db('contacts').where({ account_id: accountId, id }).update(changes)) > 0;
}
