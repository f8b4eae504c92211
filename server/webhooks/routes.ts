import { accountIdOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { idParam, listResponse, paginationQuery } from '../validation.js';
import { listMeta } from '../db/pagination.js';
import { presentDelivery, presentDeliveryDetail, presentWebhook } from './presenter.js';
import { attemptsOf, findDelivery, findWebhook, listDeliveries, listWebhooks } from './repo.js';
import * as schemas from './schemas.js';
import { changeWebhook, createWebhook, removeWebhook, resendDelivery } from './service.js';

const TAG = 'Webhooks';
// Every webhook route is for signed-in admins only (`admin_user`): URLs often carry a receiver's token, delivery
// payloads carry contacts, and API keys never handle webhook secrets (the contract's security rules).

export const webhookRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/webhooks',
    tag: TAG,
    summary: 'Create a webhook (its signing secret is shown only in this response)',
    description: 'Without `secret`, one is generated. Deliveries are signed with it: see "Webhook signatures" in the introduction.',
    access: 'admin_user',
    body: schemas.createWebhookBody,
    responses: {
      201: { description: 'Webhook created', schema: schemas.createdWebhookSchema },
      403: { description: 'webhook_limit_reached' },
    },
    handler: async (ctx, { body }) => {
      const { webhook, secret } = await createWebhook(ctx.deps, accountIdOf(ctx), body);
      return { ...presentWebhook(webhook), secret };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/webhooks',
    tag: TAG,
    summary: 'List webhooks',
    access: 'admin_user',
    query: paginationQuery,
    responses: { 200: { description: 'Webhooks', schema: listResponse(schemas.webhookSchema) } },
    handler: async (ctx, { query }) => {
      // At most MAX_WEBHOOKS_PER_ACCOUNT rows: paged in memory.
      const all = await listWebhooks(ctx.deps.db, accountIdOf(ctx));
      const page = all.slice((query.page - 1) * query.per_page, query.page * query.per_page);
      return { data: page.map(presentWebhook), meta: listMeta(all.length, query) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/webhooks/:id',
    tag: TAG,
    summary: 'Show a webhook',
    access: 'admin_user',
    responses: { 200: { description: 'Webhook', schema: schemas.webhookSchema } },
    handler: async (ctx, { params }) => {
      const webhook = await findWebhook(ctx.deps.db, accountIdOf(ctx), idParam(params.id));
      if (!webhook) throw notFound('Webhook');
      return presentWebhook(webhook);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/nc-api/v1/webhooks/:id',
    tag: TAG,
    summary: "Change a webhook's URL, events, secret or active flag",
    access: 'admin_user',
    body: schemas.updateWebhookBody,
    responses: { 200: { description: 'Webhook', schema: schemas.webhookSchema } },
    handler: async (ctx, { body, params }) => presentWebhook(await changeWebhook(ctx.deps, accountIdOf(ctx), idParam(params.id), body)),
  }),
  defineRoute({
    method: 'delete',
    path: '/nc-api/v1/webhooks/:id',
    tag: TAG,
    summary: 'Delete a webhook and its delivery log',
    access: 'admin_user',
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      if (!(await removeWebhook(ctx.deps, accountIdOf(ctx), idParam(params.id)))) throw notFound('Webhook');
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/webhooks/:id/deliveries',
    tag: TAG,
    summary: 'Delivery log, newest first: each delivery with every attempt (status code, duration, error, next retry)',
    access: 'admin_user',
    query: schemas.deliveriesQuery,
    responses: { 200: { description: 'Deliveries', schema: listResponse(schemas.deliverySchema) } },
    handler: async (ctx, { params, query }) => {
      const accountId = accountIdOf(ctx);
      const webhookId = idParam(params.id);
      if (!(await findWebhook(ctx.deps.db, accountId, webhookId))) throw notFound('Webhook');
      const { rows, total } = await listDeliveries(ctx.deps.db, accountId, webhookId, query);
      const attempts = await attemptsOf(
        ctx.deps.db,
        rows.map((r) => r.id),
      );
      return { data: rows.map((r) => presentDelivery(r, attempts)), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/webhooks/:id/deliveries/:deliveryId',
    tag: TAG,
    summary: 'One delivery with its payload and attempts',
    access: 'admin_user',
    responses: { 200: { description: 'Delivery', schema: schemas.deliveryDetailSchema } },
    handler: async (ctx, { params }) => {
      const delivery = await findDelivery(ctx.deps.db, accountIdOf(ctx), idParam(params.id), idParam(params.deliveryId));
      if (!delivery) throw notFound('Delivery');
      return presentDeliveryDetail(delivery, await attemptsOf(ctx.deps.db, [delivery.id]));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/webhooks/:id/deliveries/:deliveryId/resend',
    tag: TAG,
    summary: "Send a delivery's payload again, as a new delivery",
    access: 'admin_user',
    responses: { 201: { description: 'The new delivery, queued', schema: schemas.deliverySchema } },
    handler: async (ctx, { params }) => {
      const delivery = await resendDelivery(ctx.deps, accountIdOf(ctx), idParam(params.id), idParam(params.deliveryId));
      ctx.deps.webhooks.outbox.wake();
      return presentDelivery(delivery, []);
    },
  }),
];
