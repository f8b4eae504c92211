import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { validationFailed } from '../errors.js';
import { presentItem } from '../kb/presenter.js';
import { idParam } from '../validation.js';
import { suggestionsFor } from './assist.js';
import { aiReport } from './report.js';
import * as schemas from './schemas.js';

const DAY_MS = 86_400_000;
const DEFAULT_REPORT_DAYS = 30;

/** `since`/`until` as instants: a bare day starts at its UTC midnight, and `until` then runs through its end. */
function reportWindow(query: { since?: string; until?: string }, now: Date) {
  const isDay = (value: string) => value.length === 10;
  const until = query.until ? new Date(Date.parse(query.until) + (isDay(query.until) ? DAY_MS : 0)) : now;
  const since = query.since ? new Date(query.since) : new Date(until.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
  if (since >= until) throw validationFailed([{ field: 'since', message: 'must be before until' }]);
  if (until.getTime() - since.getTime() > schemas.MAX_REPORT_DAYS * DAY_MS)
    throw validationFailed([{ field: 'since', message: `the window is at most ${schemas.MAX_REPORT_DAYS} days` }]);
  return { since, until };
}

export const aiAgentRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/conversations/:id/suggestions',
    tag: 'Conversations',
    summary: "Agent assist: KB items that answer the contact's latest question(s)",
    description:
      "The contact's questions since the last reply (a human reply or an AI answer; greetings, thanks and requests for a person aside) " +
      'are searched together, else their latest question. Send the reply with `kb_item_id` (`POST …/messages`) and the AI agent learns them.',
    access: 'member',
    query: schemas.suggestionsQuery,
    responses: { 200: { description: 'Suggested items, best first', schema: schemas.suggestionsResponse } },
    handler: async (ctx, { params, query }) => {
      const hits = await suggestionsFor(ctx.deps, accountIdOf(ctx), idParam(params.id), query.k);
      return { data: hits.map((hit) => ({ item: presentItem(hit.item), score: hit.score })) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/reports/ai',
    tag: 'Reports',
    summary: 'How the AI agent did: answered, via choice, handed off, feedback, and the questions it could not answer',
    description:
      'Over `since`…`until` (default: the last 30 days; at most 366): the contact questions the AI agent took and how each ended, the ' +
      "visitors' feedback, a count per UTC day for a chart, and `top_unanswered`: what the KB is missing, near-duplicates grouped.",
    access: 'member',
    query: schemas.reportQuery,
    responses: { 200: { description: 'AI report', schema: schemas.aiReportSchema } },
    handler: async (ctx, { query }) => aiReport(ctx.deps, accountIdOf(ctx), reportWindow(query, ctx.deps.now())),
  }),
];
