import type { Knex } from 'knex';
import { ratingSummary } from '../csat/repo.js';
import { secondsBetween } from '../db/knex.js';
import { daysOf, type ReportWindow } from './window.js';

export type SummaryWindow = ReportWindow & { domainId?: number };

export type DaySummary = { date: string; conversations: number; resolved: number; bot_resolved: number };

export type ReportSummary = {
  conversations: number;
  resolved: number;
  bot_resolved: number;
  handed_off: number;
  first_response_seconds_median: number | null;
  resolution_seconds_median: number | null;
  csat: { count: number; average: number | null };
  by_day: DaySummary[];
};

/** The account's conversations (of one website, if asked) whose `column` falls in the window. */
function conversationsIn(db: Knex, accountId: number, window: SummaryWindow, column: 'created_at' | 'resolved_at') {
  const query = db('conversations as c')
    .where('c.account_id', accountId)
    .where(`c.${column}`, '>=', window.since.toISOString())
    .where(`c.${column}`, '<', window.until.toISOString());
  if (window.domainId !== undefined) query.where('c.domain_id', window.domainId);
  return query;
}

/** A public reply by a human agent in conversation `c`. */
const HUMAN_REPLY = `m.conversation_id = c.id and m.sender_type = 'agent' and m.message_type = 'outgoing' and m.private = ?`;

/**
 * The median of a subquery's `seconds` on either database: PostgreSQL's percentile_cont and SQLite's
 * missing one agree with reading the one or two middle values in order (the mean of both for an even count).
 */
async function median(db: Knex, seconds: Knex.QueryBuilder): Promise<number | null> {
  const counted = (await db.from(seconds.clone().as('d')).count('* as n').first()) as { n: number | string } | undefined;
  const n = Number(counted?.n ?? 0);
  if (!n) return null;
  const middle: { seconds: number | string }[] = await db
    .from(seconds.clone().as('d'))
    .select('seconds')
    .orderBy('seconds')
    .offset(Math.floor((n - 1) / 2))
    .limit(n % 2 ? 1 : 2);
  const mean = middle.reduce((sum, row) => sum + Number(row.seconds), 0) / middle.length;
  return Math.round(mean * 1000) / 1000;
}

/**
 * Seconds from the contact's first message to the first public reply by a human agent after it, for the
 * conversations started in the window that got one (the AI agent's replies are not a first response).
 */
function firstResponseSeconds(db: Knex, accountId: number, window: SummaryWindow) {
  const asked = conversationsIn(db, accountId, window, 'created_at').select(
    'c.id',
    db.raw(`(select min(m.created_at) from messages m where m.conversation_id = c.id and m.message_type = 'incoming') as asked_at`),
  );
  const answered = db
    .from(asked.as('a'))
    .whereNotNull('a.asked_at')
    .select(
      'a.asked_at',
      db.raw(
        `(select min(m.created_at) from messages m where m.conversation_id = a.id and m.sender_type = 'agent' ` +
          `and m.message_type = 'outgoing' and m.private = ? and m.created_at >= a.asked_at) as replied_at`,
        [false],
      ),
    );
  return db
    .from(answered.as('r'))
    .whereNotNull('r.replied_at')
    .select(db.raw(`${secondsBetween(db, 'r.asked_at', 'r.replied_at')} as seconds`));
}

/** Seconds from start to resolution of the conversations resolved in the window. */
function resolutionSeconds(db: Knex, accountId: number, window: SummaryWindow) {
  return conversationsIn(db, accountId, window, 'resolved_at')
    .where('c.status', 'resolved')
    .select(db.raw(`${secondsBetween(db, 'c.created_at', 'c.resolved_at')} as seconds`));
}

const day = (column: string) => `substr(${column}, 1, 10)`;

/**
 * The account's support summary over a window (contract, "Reports"): conversations started, resolved (by
 * anyone, and by the AI agent alone: no human ever replied), handed off by the AI agent, the medians of
 * the first human response and of the time to resolution, CSAT, and the counts per UTC day.
 */
export async function reportSummary(db: Knex, accountId: number, window: SummaryWindow): Promise<ReportSummary> {
  const started = conversationsIn(db, accountId, window, 'created_at')
    .groupByRaw(day('c.created_at'))
    .select(
      db.raw(`${day('c.created_at')} as day`),
      db.raw('count(*) as conversations'),
      db.raw(
        `sum(case when exists (select 1 from ai_replies r where r.conversation_id = c.id and r.handed_off = ?) then 1 else 0 end) as handed_off`,
        [true],
      ),
    );
  const resolved = conversationsIn(db, accountId, window, 'resolved_at')
    .where('c.status', 'resolved')
    .groupByRaw(day('c.resolved_at'))
    .select(
      db.raw(`${day('c.resolved_at')} as day`),
      db.raw('count(*) as resolved'),
      db.raw(`sum(case when not exists (select 1 from messages m where ${HUMAN_REPLY}) then 1 else 0 end) as bot_resolved`, [false]),
    );
  const [startedRows, resolvedRows, firstResponse, resolution, csat] = await Promise.all([
    started as Promise<Record<string, unknown>[]>,
    resolved as Promise<Record<string, unknown>[]>,
    median(db, firstResponseSeconds(db, accountId, window)),
    median(db, resolutionSeconds(db, accountId, window)),
    ratingSummary(db, accountId, window),
  ]);
  const byDay = (rows: Record<string, unknown>[]) => new Map(rows.map((row) => [String(row.day), row]));
  const startedOn = byDay(startedRows);
  const resolvedOn = byDay(resolvedRows);
  const n = (row: Record<string, unknown> | undefined, key: string) => Number(row?.[key] ?? 0);
  const total = (rows: Record<string, unknown>[], key: string) => rows.reduce((sum, row) => sum + n(row, key), 0);
  return {
    conversations: total(startedRows, 'conversations'),
    resolved: total(resolvedRows, 'resolved'),
    bot_resolved: total(resolvedRows, 'bot_resolved'),
    handed_off: total(startedRows, 'handed_off'),
    first_response_seconds_median: firstResponse,
    resolution_seconds_median: resolution,
    csat,
    by_day: daysOf(window).map((date) => ({
      date,
      conversations: n(startedOn.get(date), 'conversations'),
      resolved: n(resolvedOn.get(date), 'resolved'),
      bot_resolved: n(resolvedOn.get(date), 'bot_resolved'),
    })),
  };
}
