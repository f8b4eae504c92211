import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { presentItem } from '../kb/presenter.js';
import { reportQuery, reportWindow } from '../reports/window.js';
import { idParam } from '../validation.js';
import { suggestionsFor } from './assist.js';
import { aiReport } from './report.js';
import * as schemas from './schemas.js';

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
    query: reportQuery,
    responses: { 200: { description: 'AI report', schema: schemas.aiReportSchema } },
    handler: async (ctx, { query }) => aiReport(ctx.deps, accountIdOf(ctx), reportWindow(query, ctx.deps.now())),
  }),
];
