import { z } from 'zod';
import { accountIdOf } from '../http/auth.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute, type AppContext } from '../http/route.js';
import { idParam } from '../validation.js';
import { websiteOf, widgetConversation } from '../widget/access.js';
import { sendAttachment } from './download.js';
import { findAttachment } from './repo.js';

const FILE_RULES =
  'The type is the one sniffed from the content when it was sent; images are shown inline, everything else is a download ' +
  "(`Content-Disposition: attachment`), always with `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src 'none'`.";

const fileResponse = { 200: { description: 'The file', schema: z.string().describe('the bytes, as `Content-Type` says') } };

async function agentAttachment(ctx: AppContext, id: string | undefined) {
  const attachment = await findAttachment(ctx.deps.db, accountIdOf(ctx), idParam(id));
  if (!attachment) throw notFound('Attachment');
  return attachment;
}

/** The widget reaches the attachments of its own conversation's public messages only (never a private note's). */
async function widgetAttachment(ctx: AppContext, id: string | undefined) {
  const attachment = await findAttachment(ctx.deps.db, websiteOf(ctx).account_id, idParam(id));
  if (!attachment || attachment.message_private) throw notFound('Attachment');
  await widgetConversation(ctx, attachment.conversation_id);
  return attachment;
}

export const attachmentRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/attachments/:id',
    tag: 'Attachments',
    summary: "Download a message's attachment",
    description: FILE_RULES,
    access: 'member',
    responses: fileResponse,
    handler: async (ctx, { params }) => sendAttachment(ctx, await agentAttachment(ctx, params.id), 'data'),
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/attachments/:id/thumbnail',
    tag: 'Attachments',
    summary: "An image attachment's thumbnail (JPEG, at most 480 px; 404 for other files)",
    access: 'member',
    responses: fileResponse,
    handler: async (ctx, { params }) => sendAttachment(ctx, await agentAttachment(ctx, params.id), 'thumbnail'),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/widget/attachments/:id',
    tag: 'Widget',
    summary: 'The visitor downloads an attachment of their conversation',
    description:
      'With `?website_token=` and the conversation token (`X-Conversation-Token` or `?conversation_token=`); the attachments of ' +
      `private notes are never reachable (404). ${FILE_RULES}`,
    access: 'widget',
    responses: fileResponse,
    handler: async (ctx, { params }) => sendAttachment(ctx, await widgetAttachment(ctx, params.id), 'data'),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/widget/attachments/:id/thumbnail',
    tag: 'Widget',
    summary: "An image attachment's thumbnail, for the widget (JPEG, at most 480 px)",
    access: 'widget',
    responses: fileResponse,
    handler: async (ctx, { params }) => sendAttachment(ctx, await widgetAttachment(ctx, params.id), 'thumbnail'),
  }),
];
