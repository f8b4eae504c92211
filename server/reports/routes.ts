import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import * as schemas from './schemas.js';
import { reportSummary } from './summary.js';
import { reportWindow } from './window.js';

export const reportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/reports/summary',
    tag: 'Reports',
    summary: 'Support at a glance: conversations, resolutions, response and resolution times, CSAT, per day',
    description:
      'Over `since`…`until` (default: the last 30 days; at most 366), for every website or, with `domain_id`, one. Medians are true ' +
      'medians (the mean of the two middle values for an even count) on SQLite and PostgreSQL alike.',
    access: 'member',
    query: schemas.summaryQuery,
    responses: { 200: { description: 'Summary', schema: schemas.summarySchema } },
    handler: async (ctx, { query }) =>
      reportSummary(ctx.deps.db, accountIdOf(ctx), { ...reportWindow(query, ctx.deps.now()), domainId: query.domain_id }),
  }),
];
