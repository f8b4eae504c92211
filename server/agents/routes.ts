import { z } from 'zod';
import { accountIdOf, principalOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam, listResponse, settingsListQuery } from '../validation.js';
import { listMeta, pageRange } from '../db/pagination.js';
import { presentAgent } from './presenter.js';
import { countAgents, findAgent, listAgents } from './repo.js';
import * as schemas from './schemas.js';
import { createAgent, domainIdsByAgent, removeAgent, updateAgent } from './service.js';

export const agentRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/agents',
    tag: 'Agents',
    summary: 'List AI agents and human agents',
    access: 'member',
    query: settingsListQuery.extend({ type: z.enum(['ai', 'human']).optional() }),
    responses: { 200: { description: 'Agents', schema: listResponse(schemas.agentSchema) } },
    handler: async (ctx, { query }) => {
      const accountId = accountIdOf(ctx);
      const [agents, total, domainIds] = await Promise.all([
        listAgents(ctx.deps.db, accountId, query.type, pageRange(query)),
        countAgents(ctx.deps.db, accountId, query.type),
        domainIdsByAgent(ctx.deps, accountId),
      ]);
      return { data: agents.map((a) => presentAgent(a, domainIds.get(a.id))), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/agents',
    tag: 'Agents',
    summary: 'Create an AI agent, or a human agent who can sign in',
    description:
      'Send `{bot_name, greeting_message, system_prompt}` for an AI agent, or `{type:"human", name, email, password?, role}` for a human agent. ' +
      'Without a password a temporary one is generated and returned once. ' +
      'Human agents are managed by signed-in admins only: an API key gets 403 `api_key_not_allowed` (AI agents are fine with a write key).',
    access: 'admin',
    body: schemas.createAgentBody,
    responses: {
      201: { description: 'Agent created', schema: schemas.createAgentResponse },
      403: { description: 'plan_limit_reached' },
      409: { description: 'Email already used' },
    },
    handler: async (ctx, { body }) => {
      const { agent, temporaryPassword } = await createAgent(ctx.deps, principalOf(ctx), body);
      return { ...presentAgent(agent), ...(temporaryPassword ? { temporary_password: temporaryPassword } : {}) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/agents/:id',
    tag: 'Agents',
    summary: 'Show one agent',
    access: 'member',
    responses: { 200: { description: 'Agent', schema: schemas.agentSchema } },
    handler: async (ctx, { params }) => {
      const accountId = accountIdOf(ctx);
      const agent = await findAgent(ctx.deps.db, accountId, idParam(params.id));
      if (!agent) throw notFound('Agent');
      return presentAgent(agent, (await domainIdsByAgent(ctx.deps, accountId)).get(agent.id));
    },
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/agents/:id',
    tag: 'Agents',
    summary: 'Update an agent',
    description:
      'AI agents take `bot_name`, `greeting_message`, `system_prompt`; human agents take `name`, `role`, `password` ' +
      '(signed-in admins only: an API key gets 403 `api_key_not_allowed`). ' +
      'A new password or role revokes every token issued to that person before; when you change your own, `token` is your new one.',
    access: 'admin',
    body: schemas.updateAgentBody,
    responses: { 200: { description: 'Agent', schema: schemas.updateAgentResponse } },
    handler: async (ctx, { params }) => {
      const { agent, token } = await updateAgent(ctx.deps, principalOf(ctx), idParam(params.id), ctx.request.body);
      return { ...presentAgent(agent, (await domainIdsByAgent(ctx.deps, agent.account_id)).get(agent.id)), ...(token ? { token } : {}) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/nc-api/v1/agents/:id',
    tag: 'Agents',
    summary: 'Delete an agent (a human agent can no longer sign in)',
    description: 'Removing a human agent needs a signed-in admin: an API key gets 403 `api_key_not_allowed`.',
    access: 'admin',
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      await removeAgent(ctx.deps, principalOf(ctx), idParam(params.id));
    },
  }),
];
