import { z } from 'zod';
import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam, listResponse } from '../validation.js';
import { listMeta } from '../db/pagination.js';
import { presentItem } from '../kb/presenter.js';
import { itemSchema } from '../kb/schemas.js';
import { presentDraft } from './presenter.js';
import { listDrafts } from './repo.js';
import * as schemas from './schemas.js';
import { analyzeConversation, approveDraft, rejectDraft } from './service.js';

const BASE = '/nc-api/v1/agentic-rag';
const planGate = { description: 'plan_not_eligible: the plan does not include agentic RAG (starter)' };

export const agenticRagRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: `${BASE}/analyze`,
    tag: 'Agentic RAG',
    summary: 'Extract Q&A drafts from a resolved conversation',
    description:
      "Pairs the contact's questions with the human agent answers that followed them (bot replies are already in the knowledge base). " +
      'Where an LLM is configured it writes the pairs instead, falling back to pairing when it fails. ' +
      'The conversation must be resolved (422 otherwise). Analysing a conversation again creates no duplicate drafts. ' +
      'Drafts do not count against the plan until approved.',
    access: 'member',
    body: schemas.analyzeBody,
    responses: {
      200: { description: 'Drafts extracted', schema: schemas.analyzeResponse },
      403: planGate,
      422: { description: 'The conversation is not resolved' },
    },
    handler: async (ctx, { body }) => {
      const drafts = await analyzeConversation(ctx.deps, accountIdOf(ctx), body.conversation_id);
      const count = drafts.length;
      return { drafts: drafts.map(presentDraft), count, message: `${count} Q&A ${count === 1 ? 'pair' : 'pairs'} extracted` };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${BASE}/drafts`,
    tag: 'Agentic RAG',
    summary: 'List Q&A drafts',
    description: 'Newest first; filter by `status` (draft, approved, rejected) or by source conversation.',
    access: 'member',
    query: schemas.listDraftsQuery,
    responses: { 200: { description: 'Drafts', schema: listResponse(schemas.draftSchema) } },
    handler: async (ctx, { query }) => {
      const { page, per_page, ...filters } = query;
      const { drafts, total } = await listDrafts(ctx.deps.db, accountIdOf(ctx), filters, { page, per_page });
      return { data: drafts.map(presentDraft), meta: listMeta(total, { page, per_page }) };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/drafts/:id/approve`,
    tag: 'Agentic RAG',
    summary: 'Approve a draft: it becomes a knowledge base item',
    description:
      "Optionally send `{title, content, category, tags}` to correct the draft first. The item counts against the plan's " +
      '`kb_items` (403 `plan_limit_reached`) and is searchable, by the AI agent too, as soon as this answers. 409 if the draft was already approved or rejected.',
    access: 'admin',
    body: schemas.approveBody,
    responses: {
      200: { description: 'Approved', schema: z.object({ draft: schemas.draftSchema, item: itemSchema }) },
      403: planGate,
      409: { description: 'draft_not_pending' },
    },
    handler: async (ctx, { body, params }) => {
      const { draft, item } = await approveDraft(ctx.deps, accountIdOf(ctx), idParam(params.id), body ?? {});
      return { draft: presentDraft(draft), item: presentItem(item) };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BASE}/drafts/:id/reject`,
    tag: 'Agentic RAG',
    summary: 'Reject a draft',
    access: 'admin',
    responses: {
      200: { description: 'Rejected', schema: schemas.draftSchema },
      409: { description: 'draft_not_pending' },
    },
    handler: async (ctx, { params }) => presentDraft(await rejectDraft(ctx.deps, accountIdOf(ctx), idParam(params.id))),
  }),
];
