import { nowIso } from '../db/knex.js';
import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { presentConversationSla, presentPolicy } from './presenter.js';
import { findPolicy, savePolicy } from './repo.js';
import * as schemas from './schemas.js';
import { AT_RISK_SHARE, slaStatus } from './service.js';

export const slaRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/sla/policy',
    tag: 'SLA',
    summary: "The account's SLA policy (defaults: 60 min to first response, 1 440 min to resolution, around the clock)",
    access: 'member',
    responses: { 200: { description: 'Policy', schema: schemas.policySchema } },
    handler: async (ctx) => presentPolicy(await findPolicy(ctx.deps.db, accountIdOf(ctx))),
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/sla/policy',
    tag: 'SLA',
    summary: 'Set the SLA policy',
    description: 'With `business_hours`, the clocks only run on the listed weekdays between `start` and `end` in `timezone`.',
    access: 'admin',
    body: schemas.policyBody,
    responses: { 200: { description: 'Policy', schema: schemas.policySchema } },
    handler: async (ctx, { body }) =>
      presentPolicy(
        await savePolicy(
          ctx.deps.db,
          accountIdOf(ctx),
          {
            first_response_minutes: body.first_response_minutes,
            resolution_minutes: body.resolution_minutes,
            business_hours: body.business_hours ?? null,
          },
          nowIso(ctx.deps.now()),
        ),
      ),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/sla/status',
    tag: 'SLA',
    summary: 'SLA status of every open or pending conversation',
    description: `A target is \`at_risk\` with less than ${AT_RISK_SHARE * 100}% of its window left and \`breached\` once due (a reply after the due time stays breached). A conversation's \`state\` is its worse target. Each breach is also sent once as an \`sla_breached\` event (webhooks, realtime).`,
    access: 'member',
    responses: { 200: { description: 'Status', schema: schemas.slaStatusSchema } },
    handler: async (ctx) => {
      const { policy, counts, conversations } = await slaStatus(ctx.deps, accountIdOf(ctx));
      return { policy: presentPolicy(policy), counts, conversations: conversations.map(presentConversationSla) };
    },
  }),
];
