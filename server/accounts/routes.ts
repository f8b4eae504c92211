import { principalOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam, listResponse, paginationQuery } from '../validation.js';
import { listMeta } from '../db/pagination.js';
import { listDomains } from '../domains/repo.js';
import { presentDomainSummary } from '../domains/presenter.js';
import { findOwnAgentId } from '../agents/repo.js';
import { usageOf } from './limits.js';
import { planOrDefault } from './plans.js';
import { presentAccount, presentUser } from './presenter.js';
import { findAccount, findUserById, listAccounts } from './repo.js';
import * as schemas from './schemas.js';
import { changePlan, login, registerAccount } from './service.js';

export const accountRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/accounts',
    tag: 'Accounts',
    summary: 'Register a new account',
    description:
      'Creates the account and its owner, and signs the owner in. The first account on an instance owns the instance. ' +
      'Throttled per address (429 with Retry-After); 403 `signup_closed` when the instance owner (or `NOVA_SIGNUP=closed`) has closed sign-up, ' +
      'except for the first account of an empty instance.',
    access: 'public',
    body: schemas.registerBody,
    responses: {
      201: { description: 'Account created', schema: schemas.registerResponse },
      403: { description: 'signup_closed, or plan_requires_instance_owner' },
      409: { description: 'Email already registered' },
      429: { description: 'Too many sign-ups from this address' },
    },
    handler: async (ctx, { body }) => {
      const { account, user, token } = await registerAccount(ctx.deps, body, ctx.ip);
      return { account: presentAccount(account), user: presentUser(user), token };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/auth/login',
    tag: 'Accounts',
    summary: 'Log in and get a JWT',
    description:
      'Throttled (429 with Retry-After): each address and e-mail pair gets a few tries per window, and each window it uses up ' +
      'doubles the next; each address and each e-mail has a wider cap on failures, past which only pairs that signed in before may try. ' +
      'A try is counted before the password is checked, so concurrent guesses count like sequential ones.',
    access: 'public',
    body: schemas.loginBody,
    responses: {
      200: { description: 'Signed in', schema: schemas.loginResponse },
      401: { description: 'Wrong email or password' },
      429: { description: 'Too many failed attempts' },
    },
    handler: async (ctx, { body }) => {
      const { user, token } = await login(ctx.deps, body, ctx.ip);
      return { token, user: { id: user.id, email: user.email, name: user.name, role: user.role, account_id: user.account_id } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/auth/me',
    tag: 'Accounts',
    summary: 'The signed-in user, their account and their agent id',
    access: 'user',
    responses: { 200: { description: 'The current user', schema: schemas.meResponse } },
    handler: async (ctx) => {
      const principal = principalOf(ctx);
      if (principal.kind !== 'user') throw notFound('User');
      const [user, account, agentId] = await Promise.all([
        findUserById(ctx.deps.db, principal.userId),
        findAccount(ctx.deps.db, principal.accountId),
        findOwnAgentId(ctx.deps.db, principal.accountId, principal.userId),
      ]);
      if (!user || !account) throw notFound('User');
      return {
        user: { ...presentUser(user), role: user.role, is_instance_admin: user.is_instance_admin },
        account: presentAccount(account),
        agent_id: agentId ?? null,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/account/status',
    tag: 'Accounts',
    summary: 'Plan, limits, usage and widget info',
    access: 'member',
    responses: { 200: { description: 'Account status', schema: schemas.statusResponse } },
    handler: async (ctx) => {
      const accountId = principalOf(ctx).accountId;
      const account = await findAccount(ctx.deps.db, accountId);
      if (!account) throw notFound('Account');
      const plan = planOrDefault(ctx.deps.plans, account.plan);
      const [usage, domains] = await Promise.all([usageOf(ctx.deps.db, accountId), listDomains(ctx.deps.db, accountId)]);
      return {
        plan: account.plan,
        trial_ends_at: account.trial_ends_at,
        limits: plan.limits,
        usage,
        agentic_rag_enabled: plan.agentic_rag,
        domains: domains.map(presentDomainSummary),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/accounts',
    tag: 'Instance',
    summary: 'List every account on this instance (instance owner only)',
    access: 'instance_admin',
    query: paginationQuery,
    responses: { 200: { description: 'Accounts', schema: listResponse(schemas.accountSchema) } },
    handler: async (ctx, { query }) => {
      const { rows, total } = await listAccounts(ctx.deps.db, (query.page - 1) * query.per_page, query.per_page);
      return { data: rows.map(presentAccount), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/accounts/:id/plan',
    tag: 'Instance',
    summary: "Change an account's plan (instance owner only)",
    access: 'instance_admin',
    body: schemas.changePlanBody,
    responses: { 200: { description: 'The account with its new plan', schema: schemas.accountSchema } },
    handler: async (ctx, { body, params }) => {
      const account = await changePlan(ctx.deps, idParam(params.id), body.plan);
      if (!account) throw notFound('Account');
      return presentAccount(account);
    },
  }),
];
