import type { Knex } from 'knex';

/** A visitor's rating of one resolution of a conversation (1–5, with an optional comment). */
export type RatingRow = {
  id: number;
  account_id: number;
  conversation_id: number;
  rating: number;
  comment: string | null;
  /** The conversation's `resolved_at` when it was rated: which resolution this rates. */
  resolved_at: string;
  created_at: string;
};

export async function insertRating(trx: Knex.Transaction, values: Omit<RatingRow, 'id'>): Promise<RatingRow> {
  const [row] = await trx('csat_ratings').insert(values).returning('*');
  return row as RatingRow;
}

/** The rating of the conversation's resolution at `resolvedAt`, if it was rated. */
export async function ratingOfResolution(db: Knex, conversationId: number, resolvedAt: string): Promise<RatingRow | undefined> {
  return db('csat_ratings').where({ conversation_id: conversationId, resolved_at: resolvedAt }).first();
}

/** What reports show of CSAT over a window (ratings given from `since`, before `until`), optionally for one website. */
export type RatingWindow = { since: Date; until: Date; domainId?: number };

/**
 * How many ratings the account got in the window and their mean (null without any): the one place reports
 * read CSAT from (`GET /nc-api/v1/reports/summary`'s `csat`).
 */
export async function ratingSummary(db: Knex, accountId: number, window: RatingWindow): Promise<{ count: number; average: number | null }> {
  const query = db('csat_ratings as r')
    .where('r.account_id', accountId)
    .where('r.created_at', '>=', window.since.toISOString())
    .where('r.created_at', '<', window.until.toISOString());
  if (window.domainId !== undefined) query.join('conversations as c', 'c.id', 'r.conversation_id').where('c.domain_id', window.domainId);
  const row = (await query.count('* as count').avg('r.rating as average').first()) as {
    count: number | string;
    average: number | string | null;
  };
  const count = Number(row.count);
  return { count, average: count ? Number(row.average) : null };
}
