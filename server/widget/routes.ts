import { z } from 'zod';
import { addressKey } from '../client-address.js';
import { findAiAgent } from '../agents/repo.js';
import { contactSenderName, presentConversationToVisitor, presentMessage, type PresentedMessage } from '../conversations/presenter.js';
import { findMessage, listMessages } from '../conversations/repo.js';
import * as schemas from '../conversations/schemas.js';
import { addMessage, assertMessageLength, createConversation } from '../conversations/service.js';
import { submitChoice } from '../ai-agent/choices.js';
import { ratingBody, ratingSchema } from '../csat/schemas.js';
import { ATTACHMENTS_FORM_DESCRIPTION, attachmentLimits, fingerprintWithFiles, prepareAttachments } from '../attachments/prepare.js';
import { widgetView } from '../attachments/presenter.js';
import { currentRating, rateConversation } from '../csat/service.js';
import { giveFeedback } from '../ai-agent/feedback.js';
import { notFound } from '../errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import { listMeta } from '../db/pagination.js';
import { idParam } from '../validation.js';
import { websiteOf, widgetConversation } from './access.js';
import { isVouchedFor, widgetContactInput } from './identity.js';

const TOKEN_RULES =
  'Every call names its website with `?website_token=wk_live_…`. That token is public (it sits in the page source), so it alone never ' +
  'opens a conversation: calls on an existing conversation also need its `conversation_token` (returned once when the conversation is ' +
  'created; send it as the `X-Conversation-Token` header or `?conversation_token=`) or a server-side API key of the same account ' +
  '(`Authorization: Bearer nc_live_…`). Without one the answer is 401; a conversation of another website is a 404. ' +
  'Writes (POST) from a browser must come from the bound website: an `Origin` header naming any other origin is a 403 ' +
  '(`origin_not_allowed`); server-side callers send no `Origin`. Their bodies must be `application/json` (or `multipart/form-data` where a message takes files; 415 otherwise).';

const conversationIdQuery = z.object({ conversation_id: z.coerce.number().int().positive() });

/** A BCP 47 language tag (`en`, `pt-BR`): the language the widget shows, which the AI agent then speaks. */
const localeTag = z
  .string()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/, 'must be a language tag such as en or pt-BR');

/** A visitor's message with files (multipart): `content` may then be empty. Choices are answered with JSON. */
const visitorMessageForm = z.object({
  conversation_id: z.number().int().positive(),
  content: z.string().trim().default(''),
});

/** A visitor's message; with `submitted_value` and `in_reply_to`, the answer to the bot's choices. */
const visitorMessageBody = z
  .object({
    conversation_id: z.number().int().positive(),
    content: schemas.messageContent,
    submitted_value: z
      .string()
      .max(40)
      .optional()
      .describe('the `value` of the choice picked (`kb_item:<id>` or `handoff`); `content` is then its title'),
    in_reply_to: z.number().int().positive().optional().describe('the id of the choices message answered'),
  })
  .superRefine((body, ctx) => {
    if ((body.submitted_value === undefined) !== (body.in_reply_to === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [body.submitted_value === undefined ? 'submitted_value' : 'in_reply_to'],
        message: 'submitted_value and in_reply_to go together',
      });
  });

const visitorOf = (conversation: { contact_id: number; contact_name: string | null; contact_email: string | null }) => ({
  type: 'contact' as const,
  id: conversation.contact_id,
  name: contactSenderName({ name: conversation.contact_name, email: conversation.contact_email }),
});

/** Only what the site owner set: the widget fills in the rest in the visitor's own language. */
const widgetSettingsSchema = z.object({
  position: z.enum(['bottom_left', 'bottom_right']).optional(),
  color: z.string().optional(),
  title: z.string().optional(),
  launcher_text: z.string().optional(),
  locale: z.string().optional(),
});

export const widgetRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/widget/conversations',
    tag: 'Widget',
    summary: 'A visitor starts a conversation',
    description:
      'The answer carries the `conversation_token` that every later call on this conversation needs: it is shown only here. New ' +
      'conversations per IP address are rate limited (429 + Retry-After).\n\n' +
      'Identity validation: for a visitor your site has signed in, send `contact.identifier_hash`, the hex HMAC-SHA256 of `contact.email` ' +
      "(exactly as sent) keyed by the website's identity secret (`GET /nc-api/v1/account/domains/{id}/identity-validation`, admins only), " +
      "computed on your server. With a valid hash the conversation joins that e-mail's verified contact (and its name, if given, becomes " +
      "the contact's); a wrong one is a 401 `invalid_identifier_hash`. Without one anybody could have typed the e-mail: the conversation " +
      'gets a contact of its own holding only what was typed, marked `verified: false`, and nothing stored about an existing contact ' +
      `(name, history) is ever shown to the widget.\n\n${TOKEN_RULES}`,
    access: 'widget',
    freshWebsite: true,
    body: z.object({
      contact: widgetContactInput.optional(),
      message: schemas.messageContent,
      locale: localeTag.optional().describe("the widget's language; the AI agent replies in it where it speaks it (en, es, pt, fr, de)"),
    }),
    responses: {
      201: { description: 'Conversation created', schema: schemas.createdConversationSchema.omit({ labels: true }) },
      401: { description: 'Missing or invalid website token, or an identifier_hash that does not verify' },
    },
    handler: async (ctx, { body }) => {
      const website = websiteOf(ctx);
      assertMessageLength(ctx.deps, body.message, 'message');
      await ctx.deps.widget.limits.conversationsPerIp.hit(addressKey(ctx.ip));
      const verified = isVouchedFor(ctx.deps.domains.identitySecretKey, website, body.contact);
      const { conversation, conversationToken, messages } = await createConversation(ctx.deps, website, body, { verified });
      const { labels: _labels, ...visible } = conversation;
      return { ...visible, messages, conversation_token: conversationToken };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/widget/conversations/:id',
    tag: 'Widget',
    summary: "The visitor's conversation (status, assignee, the rating of its resolution), e.g. after a page reload",
    description: TOKEN_RULES,
    access: 'widget',
    responses: { 200: { description: 'Conversation', schema: schemas.conversationDetailSchema.omit({ labels: true }) } },
    handler: async (ctx, { params }) => {
      const conversation = await widgetConversation(ctx, idParam(params.id), { fresh: true });
      return { ...presentConversationToVisitor(conversation), csat: await currentRating(ctx.deps, conversation) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/widget/conversations/:id/rating',
    tag: 'Widget',
    summary: 'The visitor rates a resolved conversation (CSAT: 1 to 5 stars and an optional comment)',
    description:
      'Once per resolution: a second rating is a 409 `already_rated` until the conversation is reopened and resolved again; a ' +
      'conversation that is not resolved is a 409 `not_resolved`. The rating shows in the transcript as an activity line ' +
      '(`content_attributes: {kind: "csat", rating, comment}`, pushed and sent to webhooks as `message_created`), on the ' +
      `conversation as \`csat\`, and in reports.\n\n${TOKEN_RULES}`,
    access: 'widget',
    body: ratingBody,
    responses: {
      201: { description: 'Rating recorded', schema: ratingSchema },
      409: { description: '`not_resolved`, or `already_rated` (this resolution already has a rating)' },
    },
    handler: async (ctx, { params, body }) => {
      const conversation = await widgetConversation(ctx, idParam(params.id));
      return rateConversation(ctx.deps, conversation.account_id, conversation.id, body);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/widget/messages',
    tag: 'Widget',
    summary: "The visitor sends a message, or answers the AI agent's choices",
    description:
      'To answer choices (a message with `content_type: "input_select"`), send the title picked as `content`, its `value` as ' +
      "`submitted_value` and the choices message's id as `in_reply_to`: the AI agent answers with that item, or hands off for " +
      '`handoff`. A value that was not offered is a 422; choices already answered are a 409. ' +
      `Messages per conversation per minute are rate limited (429 + Retry-After); longer than the configured cap is a 422.\n\n${TOKEN_RULES}`,
    access: 'widget',
    body: visitorMessageBody,
    form: { body: visitorMessageForm, limits: attachmentLimits, description: ATTACHMENTS_FORM_DESCRIPTION },
    responses: {
      201: { description: 'Message stored and pushed', schema: schemas.messageSchema },
      409: { description: 'These choices were already answered' },
    },
    idempotent: true,
    handler: async (ctx, { body, idempotently, files }) => {
      const website = websiteOf(ctx);
      // The conversation token is checked first: a key never replays a message to someone who may not read it.
      const conversation = await widgetConversation(ctx, body.conversation_id);
      assertMessageLength(ctx.deps, body.content);
      const attachments = await prepareAttachments(files);
      const sender = visitorOf(conversation);
      const message = await idempotently(fingerprintWithFiles(body, attachments), async (commit) => {
        await ctx.deps.widget.limits.messagesPerConversation.hit(String(conversation.id));
        if (body.submitted_value !== undefined && body.in_reply_to !== undefined)
          return submitChoice(
            ctx.deps,
            conversation,
            { content: body.content, submitted_value: body.submitted_value, in_reply_to: body.in_reply_to },
            sender,
          );
        return addMessage(
          ctx.deps,
          website.account_id,
          conversation.id,
          { content: body.content, message_type: 'incoming', sender, attachments },
          commit,
        );
      });
      return widgetView(message as PresentedMessage);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/widget/messages/:id/feedback',
    tag: 'Widget',
    summary: 'The visitor says whether an answer of the AI agent helped',
    description:
      '"Did that answer your question?" under each of the AI agent\'s answers (`content_attributes.kind: "answer"`). `helpful: false` ' +
      'hands the conversation to a human (status `pending`, the bot says so) and is recorded against the item. Feedback is given once: ' +
      'the same value again answers 200 unchanged, the other value 409. Any other message is a 422. Answers the message with ' +
      `\`content_attributes.helpful\` set.\n\n${TOKEN_RULES}`,
    access: 'widget',
    body: z.object({ helpful: z.boolean() }),
    responses: {
      200: { description: 'Feedback recorded', schema: schemas.messageSchema },
      409: { description: 'This answer already has the other feedback' },
    },
    handler: async (ctx, { params, body }) => {
      const website = websiteOf(ctx);
      const message = await findMessage(ctx.deps.db, website.account_id, idParam(params.id));
      if (!message) throw notFound('Message');
      const conversation = await widgetConversation(ctx, message.conversation_id);
      return giveFeedback(ctx.deps, conversation, message.id, body.helpful);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/widget/messages',
    tag: 'Widget',
    summary: "The conversation's messages, oldest first (never private notes)",
    description: `Poll with \`after=<last message id>\` to get only newer ones.\n\n${TOKEN_RULES}`,
    access: 'widget',
    query: schemas.messagesQuery.extend(conversationIdQuery.shape),
    responses: { 200: { description: 'Messages', schema: schemas.messageList } },
    handler: async (ctx, { query }) => {
      const conversation = await widgetConversation(ctx, query.conversation_id);
      const { rows, total } = await listMessages(
        ctx.deps.db,
        conversation.id,
        { after: query.after, before: query.before, publicOnly: true },
        query,
      );
      return { data: rows.map((m) => widgetView(presentMessage(m))), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/widget/typing',
    tag: 'Widget',
    summary: 'The visitor starts or stops typing (for clients without a WebSocket)',
    description: TOKEN_RULES,
    access: 'widget',
    body: z.object({ conversation_id: z.number().int().positive(), typing: z.boolean() }),
    responses: { 204: { description: 'Relayed to the agents' } },
    handler: async (ctx, { body }) => {
      const conversation = await widgetConversation(ctx, body.conversation_id);
      await ctx.deps.widget.limits.typingPerConversation.hit(String(conversation.id));
      ctx.deps.realtime.typing.relay(conversation, body.typing, visitorOf(conversation));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/widget/config',
    tag: 'Widget',
    summary: "The website's widget settings and AI agent greeting",
    description: 'Public: needs only `?website_token=`.',
    access: 'widget',
    freshWebsite: true,
    responses: {
      200: {
        description: 'Widget configuration',
        schema: z.object({
          website_url: z.string(),
          widget_settings: widgetSettingsSchema,
          ai_agent: z.object({ bot_name: z.string(), greeting_message: z.string().nullable() }).nullable(),
        }),
      },
    },
    handler: async (ctx) => {
      const website = websiteOf(ctx);
      const agent =
        website.ai_active && website.ai_agent_id ? await findAiAgent(ctx.deps.db, website.account_id, website.ai_agent_id) : undefined;
      return {
        website_url: website.website_url,
        widget_settings: website.widget_settings,
        ai_agent: agent ? { bot_name: agent.bot_name, greeting_message: agent.greeting_message } : null,
      };
    },
  }),
];
