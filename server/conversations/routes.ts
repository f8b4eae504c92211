import { findUserById } from '../accounts/repo.js';
import { findOwnAgentId } from '../agents/repo.js';
import { findDomain } from '../domains/repo.js';
import { findItem } from '../kb/repo.js';
import { currentRating } from '../csat/service.js';
import { ATTACHMENTS_FORM_DESCRIPTION, attachmentLimits, fingerprintWithFiles, prepareAttachments } from '../attachments/prepare.js';
import { learnFromAgentReply } from '../ai-agent/learning.js';
import { accountIdOf, principalOf } from '../http/auth.js';
import { notFound, validationFailed } from '../errors.js';
import { defineRoute, type AnyRoute, type AppContext } from '../http/route.js';
import { idParam } from '../validation.js';
import { listMeta } from '../db/pagination.js';
import { presentConversation, presentMessage } from './presenter.js';
import * as repo from './repo.js';
import * as schemas from './schemas.js';
import { addMessage, assertMessageLength, assign, conversationSummaries, setStatus, startConversationAsAgent } from './service.js';
import type { Sender } from './repo.js';

const RECENT_MESSAGES = 200;

/** The human behind a management call, as it appears on messages and activity lines. */
export async function actorOf(ctx: AppContext): Promise<Sender> {
  const principal = principalOf(ctx);
  if (principal.kind === 'api_key') return { type: 'agent', id: null, name: 'API integration' };
  const [agentId, user] = await Promise.all([
    findOwnAgentId(ctx.deps.db, principal.accountId, principal.userId),
    findUserById(ctx.deps.db, principal.userId),
  ]);
  return { type: 'agent', id: agentId ?? null, name: user?.name ?? 'Agent' };
}

async function conversationOr404(ctx: AppContext, id: string | undefined) {
  const conversation = await repo.findConversation(ctx.deps.db, accountIdOf(ctx), idParam(id));
  if (!conversation) throw notFound('Conversation');
  return conversation;
}

export const conversationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/conversations',
    tag: 'Conversations',
    summary: 'List conversations, newest activity first',
    description:
      'Filters: `status`, `domain_id`, `assignee` (an agent id, `me` or `none`), `label` (a title). Each entry carries its newest message and how many contact messages await a reply.',
    access: 'member',
    query: schemas.listConversationsQuery,
    responses: { 200: { description: 'Conversations', schema: schemas.conversationList } },
    handler: async (ctx, { query }) => {
      const accountId = accountIdOf(ctx);
      let assignee: number | null | undefined;
      if (query.assignee === 'none') assignee = null;
      else if (query.assignee === 'me') {
        const principal = principalOf(ctx);
        if (principal.kind !== 'user')
          throw validationFailed([{ field: 'assignee', message: '"me" needs a signed-in user, not an API key' }]);
        assignee = (await findOwnAgentId(ctx.deps.db, accountId, principal.userId)) ?? -1;
      } else assignee = query.assignee;
      const { rows, total } = await repo.listConversations(
        ctx.deps.db,
        accountId,
        { status: query.status, domain_id: query.domain_id, assignee, label: query.label },
        query,
      );
      return { data: await conversationSummaries(ctx.deps.db, rows), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/conversations',
    tag: 'Conversations',
    summary: 'Start a conversation with a contact on one of your websites',
    description:
      'The contact is `{id}` of an existing contact, or `{name, email}` (reused by email). The optional first message is sent by you; ' +
      'the conversation is assigned to you and the AI agent stays out of it. The `conversation_token` lets your own widget integration open it.',
    access: 'member',
    body: schemas.createConversationBody,
    responses: { 201: { description: 'Conversation started', schema: schemas.createdConversationSchema } },
    handler: async (ctx, { body }) => {
      if (body.message) assertMessageLength(ctx.deps, body.message, 'message');
      const domain = await findDomain(ctx.deps.db, accountIdOf(ctx), body.domain_id);
      if (!domain) throw notFound('Domain');
      const { conversation, conversationToken, messages } = await startConversationAsAgent(
        ctx.deps,
        domain,
        { contact: body.contact, message: body.message },
        await actorOf(ctx),
      );
      return { ...conversation, messages, conversation_token: conversationToken };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/conversations/:id',
    tag: 'Conversations',
    summary: 'Show a conversation with its messages (private notes included)',
    access: 'member',
    responses: { 200: { description: 'Conversation', schema: schemas.conversationWithMessagesSchema } },
    handler: async (ctx, { params }) => {
      const conversation = await conversationOr404(ctx, params.id);
      const [{ messages, hasEarlier }, csat] = await Promise.all([
        repo.recentMessages(ctx.deps.db, conversation.id, RECENT_MESSAGES),
        currentRating(ctx.deps, conversation),
      ]);
      return {
        ...presentConversation(conversation),
        csat,
        messages: messages.map((m) => presentMessage(m)),
        has_earlier_messages: hasEarlier,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/conversations/:id/messages',
    tag: 'Conversations',
    summary: "Page through a conversation's messages, oldest first (private notes included)",
    access: 'member',
    query: schemas.messagesQuery,
    responses: { 200: { description: 'Messages', schema: schemas.messageList } },
    handler: async (ctx, { params, query }) => {
      const conversation = await conversationOr404(ctx, params.id);
      const { rows, total } = await repo.listMessages(
        ctx.deps.db,
        conversation.id,
        { after: query.after, before: query.before, publicOnly: false },
        query,
      );
      return { data: rows.map((m) => presentMessage(m)), meta: listMeta(total, query) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/conversations/:id/messages',
    tag: 'Conversations',
    summary: 'Reply to the contact, or add a private note',
    description:
      'A public reply takes the conversation over from the AI agent (`bot_active` becomes false). A private note (`private: true`) is seen by agents only: ' +
      'it never reaches the widget, its socket or its message list. With `kb_item_id` (a public reply answering with that knowledge base item, ' +
      "e.g. a suggestion inserted from `GET …/suggestions`) the message carries `content_attributes.kb_item_id`, and the contact's questions " +
      'since the last reply become alternate questions of the item (`source: "agent"`), so the AI agent answers them itself next time.',
    access: 'member',
    idempotent: true,
    body: schemas.agentMessageBody,
    form: { body: schemas.agentMessageForm, limits: attachmentLimits, description: ATTACHMENTS_FORM_DESCRIPTION },
    responses: { 201: { description: 'Message added', schema: schemas.messageSchema } },
    handler: async (ctx, { params, body, idempotently, files }) => {
      assertMessageLength(ctx.deps, body.content);
      const accountId = accountIdOf(ctx);
      const id = idParam(params.id);
      const attachments = await prepareAttachments(files);
      const sender = await actorOf(ctx);
      return idempotently(fingerprintWithFiles(body, attachments), async (commit) => {
        if (body.kb_item_id !== undefined) {
          if (body.private) throw validationFailed([{ field: 'kb_item_id', message: 'a private note does not answer with an item' }]);
          if (!(await findItem(ctx.deps.db, accountId, body.kb_item_id)))
            throw validationFailed([{ field: 'kb_item_id', message: 'no such knowledge base item' }]);
        }
        const message = await addMessage(
          ctx.deps,
          accountId,
          id,
          {
            content: body.content,
            message_type: 'outgoing',
            private: body.private,
            sender,
            content_attributes: body.kb_item_id === undefined ? undefined : { kb_item_id: body.kb_item_id },
            attachments,
          },
          commit,
        );
        if (body.kb_item_id !== undefined) await learnFromAgentReply(ctx.deps, accountId, id, message.id, body.kb_item_id);
        return message;
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/conversations/:id/assign',
    tag: 'Conversations',
    summary: 'Assign a human agent of your account, or nobody (`agent_id: null`)',
    access: 'member',
    body: schemas.assignBody,
    responses: { 200: { description: 'Conversation', schema: schemas.conversationSchema } },
    handler: async (ctx, { params, body }) => assign(ctx.deps, accountIdOf(ctx), idParam(params.id), body.agent_id, await actorOf(ctx)),
  }),
  defineRoute({
    method: 'post',
    path: '/nc-api/v1/conversations/:id/status',
    tag: 'Conversations',
    summary: 'Change the status (open, pending, resolved) and who answers',
    description:
      '`bot: true` hands the conversation back to the AI agent (send it with `status: "open"`), `bot: false` takes it over. ' +
      'Without `bot`, `pending` turns the AI agent off (a hand-off to humans). Each change adds an activity message.',
    access: 'member',
    body: schemas.statusBody,
    responses: { 200: { description: 'Conversation', schema: schemas.conversationSchema } },
    handler: async (ctx, { params, body }) =>
      setStatus(ctx.deps, accountIdOf(ctx), idParam(params.id), body.status, await actorOf(ctx), { bot: body.bot }),
  }),
  defineRoute({
    method: 'get',
    path: '/nc-api/v1/contacts/:id/conversations',
    tag: 'Conversations',
    summary: "A contact's conversations, newest activity first",
    description:
      'With `same_email=true`, also the conversations of the other contacts who gave the same e-mail, each carrying its own ' +
      '`contact` (so `contact.verified` tells a conversation the website vouched for from one where anybody could have typed the ' +
      'e-mail). Without it, only this contact’s own: unverified ones are never merged into a verified contact’s history.',
    access: 'member',
    query: schemas.contactConversationsQuery,
    responses: { 200: { description: 'Conversations', schema: schemas.conversationList } },
    handler: async (ctx, { params, query }) => {
      const accountId = accountIdOf(ctx);
      const contact = await repo.findContact(ctx.deps.db, accountId, idParam(params.id));
      if (!contact) throw notFound('Contact');
      const filter = query.same_email && contact.email ? { contact_email: contact.email } : { contact_id: contact.id };
      const { rows, total } = await repo.listConversations(ctx.deps.db, accountId, filter, query);
      return { data: await conversationSummaries(ctx.deps.db, rows), meta: listMeta(total, query) };
    },
  }),
];
