import { conversationSchema } from '../conversations/schemas.js';
import { actorOf } from '../conversations/routes.js';
import { listMeta } from '../db/pagination.js';
import { accountIdOf } from '../http/auth.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam } from '../validation.js';
import { presentLabel } from './presenter.js';
import * as repo from './repo.js';
import * as schemas from './schemas.js';
import { createLabel, deleteLabel, setConversationLabels, updateLabel } from './service.js';

const TAG = 'Labels';
const taken = { description: 'label_taken: the account already has a label with this title' };

/** Labels to sort conversations by (as Chatwoot's): managed by any agent, set on a conversation as a list of titles. */
export const labelRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/labels',
    tag: TAG,
    summary: "List the account's labels by title",
    access: 'member',
    query: schemas.labelsQuery,
    responses: { 200: { description: 'Labels', schema: schemas.labelList } },
    handler: async (ctx, { query }) => {
      const { rows, total } = await repo.listLabels(ctx.deps.db, accountIdOf(ctx), query);
      return { data: rows.map(presentLabel), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/labels',
    tag: TAG,
    summary: 'Create a label',
    access: 'member',
    body: schemas.createLabelBody,
    responses: { 201: { description: 'Created', schema: schemas.labelSchema }, 409: taken },
    handler: async (ctx, { body }) => presentLabel(await createLabel(ctx.deps, accountIdOf(ctx), body)),
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/labels/:id',
    tag: TAG,
    summary: 'Rename or recolour a label (the conversations that carry it follow)',
    access: 'member',
    body: schemas.updateLabelBody,
    responses: { 200: { description: 'Saved', schema: schemas.labelSchema }, 409: taken },
    handler: async (ctx, { params, body }) => presentLabel(await updateLabel(ctx.deps, accountIdOf(ctx), idParam(params.id), body)),
  }),
  defineRoute({
    method: 'delete',
    path: '/nc-api/v1/labels/:id',
    tag: TAG,
    summary: 'Delete a label (it leaves every conversation)',
    access: 'member',
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => deleteLabel(ctx.deps, accountIdOf(ctx), idParam(params.id)),
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/conversations/:id/labels',
    tag: 'Conversations',
    summary: "Set a conversation's labels (the whole list, by title)",
    description:
      'Titles of labels that do not exist are a 422 naming each (`labels.<index>`). A change adds an activity message ' +
      '("Ann added billing") and is announced as `conversation_updated`.',
    access: 'member',
    body: schemas.setConversationLabelsBody,
    responses: { 200: { description: 'The conversation', schema: conversationSchema } },
    handler: async (ctx, { params, body }) =>
      setConversationLabels(ctx.deps, accountIdOf(ctx), idParam(params.id), body.labels, await actorOf(ctx)),
  }),
];
