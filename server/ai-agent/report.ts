import type { Knex } from 'knex';
import type { Deps } from '../deps.js';
import { daysOf, type ReportWindow } from '../reports/window.js';
import { groupQuestions, type QuestionGroup } from './grouping.js';

/** Unanswered questions read per report (the most recent), and groups shown. */
const UNANSWERED_READ = 2000;
const TOP_UNANSWERED = 10;

export type DayFigures = { date: string; questions: number; answered: number; answered_via_choice: number; handed_off: number };

export type AiReport = {
  questions: number;
  answered: number;
  answered_via_choice: number;
  handed_off: number;
  handoff_requests: number;
  helpful: number;
  not_helpful: number;
  top_unanswered: { question: string; count: number; conversation_ids: number[] }[];
  by_day: DayFigures[];
};

/** Counts per UTC day of the account's AI replies in the window, in one grouped query. */
async function countsByDay(db: Knex, accountId: number, window: ReportWindow) {
  const isQuestion = 'intent is null';
  const sum = (condition: string, alias: string) => db.raw(`sum(case when ${condition} then 1 else 0 end) as ${alias}`);
  const rows: Record<string, unknown>[] = await db('ai_replies')
    .where('account_id', accountId)
    .where('created_at', '>=', window.since.toISOString())
    .where('created_at', '<', window.until.toISOString())
    .groupByRaw('substr(created_at, 1, 10)')
    .select(
      db.raw('substr(created_at, 1, 10) as day'),
      sum(isQuestion, 'questions'),
      sum(`${isQuestion} and move = 'answer'`, 'answered'),
      sum(`${isQuestion} and move = 'choices' and kb_item_id is not null`, 'answered_via_choice'),
      db.raw(`sum(case when ${isQuestion} and handed_off = ? then 1 else 0 end) as handed_off`, [true]),
      sum(`intent = 'handoff'`, 'handoff_requests'),
      db.raw('sum(case when helpful = ? then 1 else 0 end) as helpful', [true]),
      db.raw('sum(case when helpful = ? then 1 else 0 end) as not_helpful', [false]),
    );
  return new Map(rows.map((row) => [String(row.day), row]));
}

/**
 * The KB gaps: questions the bot could not answer (handed off, or answered and marked unhelpful), most
 * recent first, grouped with their near-duplicates by embedding similarity, largest group first.
 */
async function topUnanswered(deps: Deps, accountId: number, window: ReportWindow): Promise<QuestionGroup[]> {
  const rows: { question: string; conversation_id: number }[] = await deps
    .db('ai_replies')
    .where('account_id', accountId)
    .whereNull('intent')
    .where('created_at', '>=', window.since.toISOString())
    .where('created_at', '<', window.until.toISOString())
    .where((q) => q.where('handed_off', true).orWhere('helpful', false))
    .orderBy('id', 'desc')
    .limit(UNANSWERED_READ)
    .select('question', 'conversation_id');
  if (!rows.length) return [];
  const vectors = await deps.retrieval.embedQueries(rows.map((row) => row.question));
  const asked = rows.map((row, i) => ({ text: row.question, vector: vectors[i]!, conversationId: Number(row.conversation_id) }));
  return groupQuestions(asked).slice(0, TOP_UNANSWERED);
}

/** The AI report of one account over a window (contract, "Agent assist"): its moves, feedback and KB gaps. */
export async function aiReport(deps: Deps, accountId: number, window: ReportWindow): Promise<AiReport> {
  const [counts, unanswered] = await Promise.all([countsByDay(deps.db, accountId, window), topUnanswered(deps, accountId, window)]);
  const n = (row: Record<string, unknown> | undefined, key: string) => Number(row?.[key] ?? 0);
  const total = (key: string) => [...counts.values()].reduce((sum, row) => sum + n(row, key), 0);
  return {
    questions: total('questions'),
    answered: total('answered'),
    answered_via_choice: total('answered_via_choice'),
    handed_off: total('handed_off'),
    handoff_requests: total('handoff_requests'),
    helpful: total('helpful'),
    not_helpful: total('not_helpful'),
    top_unanswered: unanswered.map((group) => ({ question: group.question, count: group.count, conversation_ids: group.conversationIds })),
    by_day: daysOf(window).map((date) => {
      const row = counts.get(date);
      return {
        date,
        questions: n(row, 'questions'),
        answered: n(row, 'answered'),
        answered_via_choice: n(row, 'answered_via_choice'),
        handed_off: n(row, 'handed_off'),
      };
    }),
  };
}
