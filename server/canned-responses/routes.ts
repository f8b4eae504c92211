import { listMeta } from '../db/pagination.js';
import { notFound } from '../errors.js';
import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam } from '../validation.js';
import { presentCannedResponse } from './presenter.js';
import * as repo from './repo.js';
import * as schemas from './schemas.js';
import { createCannedResponse, updateCannedResponse } from './service.js';

const TAG = 'Canned responses';

/** Saved replies the composer expands from `/short_code` (as Chatwoot's canned responses); any agent manages them. */
export const cannedResponseRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/canned_responses',
    tag: TAG,
    summary: 'List canned responses by short code; `q` searches short codes and contents',
    access: 'member',
    query: schemas.cannedResponsesQuery,
    responses: { 200: { description: 'Canned responses', schema: schemas.cannedResponseList } },
    handler: async (ctx, { query }) => {
      const { rows, total } = await repo.listCannedResponses(ctx.deps.db, accountIdOf(ctx), query.q, query);
      return { data: rows.map(presentCannedResponse), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/canned_responses',
    tag: TAG,
    summary: 'Save a canned response',
    description: 'A short code already used in the account is a 409 `short_code_taken`.',
    access: 'member',
    body: schemas.createCannedResponseBody,
    responses: {
      201: { description: 'Saved', schema: schemas.cannedResponseSchema },
      409: { description: 'short_code_taken: the account already has this short code' },
    },
    handler: async (ctx, { body }) => presentCannedResponse(await createCannedResponse(ctx.deps, accountIdOf(ctx), body)),
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/canned_responses/:id',
    tag: TAG,
    summary: 'Change a canned response',
    access: 'member',
    body: schemas.updateCannedResponseBody,
    responses: {
      200: { description: 'Saved', schema: schemas.cannedResponseSchema },
      409: { description: 'short_code_taken: the account already has this short code' },
    },
    handler: async (ctx, { params, body }) =>
      presentCannedResponse(await updateCannedResponse(ctx.deps, accountIdOf(ctx), idParam(params.id), body)),
  }),
  defineRoute({
    method: 'delete',
    path: '/nc-api/v1/canned_responses/:id',
    tag: TAG,
    summary: 'Delete a canned response',
    access: 'member',
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      if (!(await repo.deleteCannedResponse(ctx.deps.db, accountIdOf(ctx), idParam(params.id)))) throw notFound('Canned response');
    },
  }),
];
