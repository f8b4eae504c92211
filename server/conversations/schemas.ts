import { z } from 'zod';
import { attachmentSchema } from '../attachments/schemas.js';
import { ratingSchema } from '../csat/schemas.js';
import { idSchema, listResponse, paginationQuery, text } from '../validation.js';

export const statusSchema = z.enum(['open', 'pending', 'resolved']);

/** Message text; the length cap comes from configuration (MESSAGE_MAX_LENGTH) and is checked by the caller. */
export const messageContent = z.string().trim().min(1, 'must not be empty');

/** Widgets send what the visitor typed: empty or null fields mean "not given". */
export const contactInput = z.object({
  name: z.union([text(200), z.literal(''), z.null()]).optional(),
  email: z.union([z.email().max(320), z.literal(''), z.null()]).optional(),
});

export const CONTENT_TYPES = ['text', 'input_select'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export const choiceItemSchema = z.object({
  title: z.string(),
  value: z.string().describe('`kb_item:<id>` for a knowledge base item, `handoff` for "talk to a person"'),
});
export type ChoiceItem = z.infer<typeof choiceItemSchema>;

/** One object for every kind of message (as Chatwoot's): each field is there only where it applies. */
export const contentAttributesSchema = z
  .object({
    kind: z
      .enum(['answer', 'choices', 'csat'])
      .optional()
      .describe(
        "the AI agent's move: `answer` (the item's answer; the widget asks whether it helped) or `choices` (`input_select`); " +
          "`csat`: the activity line of the visitor's rating",
      ),
    kb_item_id: z
      .number()
      .int()
      .optional()
      .describe('the knowledge base item the message answers with (an AI answer, or an agent reply sent with `kb_item_id`)'),
    items: z.array(choiceItemSchema).optional().describe('choices offered: up to 3 items, then "talk to a person"'),
    submitted_value: z
      .string()
      .optional()
      .describe("on a visitor's reply to choices, the value picked; on the choices message, the value the visitor picked"),
    in_reply_to: z.number().int().optional().describe("on a visitor's reply to choices, the choices message's id"),
    helpful: z.boolean().optional().describe('on an answer, the visitor\'s feedback ("Did that answer your question?")'),
    rating: z.number().int().optional().describe('on a `csat` activity line, the rating given (1 to 5)'),
    comment: z.string().optional().describe("on a `csat` activity line, the visitor's comment"),
  })
  .describe('Structured parts of the message; `{}` for plain text');
export type ContentAttributes = z.infer<typeof contentAttributesSchema>;

export const messageSchema = z.object({
  id: z.number().int(),
  conversation_id: z.number().int(),
  content: z.string(),
  message_type: z.enum(['incoming', 'outgoing', 'activity']),
  content_type: z.enum(CONTENT_TYPES).describe('`input_select`: choices the visitor answers with one of `content_attributes.items`'),
  content_attributes: contentAttributesSchema,
  private: z.boolean(),
  sender: z.object({ type: z.enum(['contact', 'bot', 'agent']), id: z.number().int().nullable(), name: z.string().nullable() }),
  attachments: z.array(attachmentSchema).describe('files sent with the message, oldest first; `[]` for none'),
  created_at: z.string(),
});

export const conversationSchema = z.object({
  id: z.number().int(),
  account_id: z.number().int(),
  domain_id: z.number().int(),
  inbox_id: z.number().int(),
  status: statusSchema,
  bot_active: z.boolean().describe('true while the AI agent answers this conversation'),
  assignee: z.object({ id: z.number().int(), name: z.string().nullable() }).nullable(),
  contact: z.object({
    id: z.number().int(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    verified: z
      .boolean()
      .describe(
        'true when someone vouched for this contact: the website with a valid identifier_hash, or an agent who chose it; ' +
          'false: anybody could have typed this e-mail',
      ),
  }),
  labels: z.array(z.string()).describe("the conversation's label titles, sorted (agents only: the widget never gets them)"),
  created_at: z.string(),
  updated_at: z.string(),
  last_message_at: z.string().nullable(),
  first_reply_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
});

/** What the widget gets: no labels (the team's own filing of the conversation). */
export const visitorConversationSchema = conversationSchema.omit({ labels: true });

export const conversationSummarySchema = conversationSchema.extend({
  last_message: messageSchema.nullable(),
  unanswered_count: z.number().int().describe('contact messages since the last public reply'),
});

/** A conversation as its detail views show it: with the CSAT rating of its current resolution. */
export const conversationDetailSchema = conversationSchema.extend({
  csat: ratingSchema.nullable().describe("the visitor's rating of the current resolution; null while not resolved or not rated"),
});

export const conversationWithMessagesSchema = conversationDetailSchema.extend({
  messages: z.array(messageSchema).describe('the newest messages (at most 200), oldest first'),
  has_earlier_messages: z.boolean().describe('older messages exist: page back with GET …/messages?before=<first id>'),
});

export const listConversationsQuery = paginationQuery.extend({
  status: z
    .string()
    .regex(
      /^(open|pending|resolved)(,(open|pending|resolved))*$/,
      'status must be open, pending or resolved, or several of them comma-separated',
    )
    .transform((value) => value.split(','))
    .pipe(z.array(statusSchema))
    .optional()
    .describe('open, pending or resolved; several comma-separated (e.g. `open,pending`) list any of them'),
  domain_id: z.coerce.number().int().positive().optional(),
  assignee: z
    .union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()])
    .optional()
    .describe('an agent id, "me" (the signed-in agent) or "none" (unassigned)'),
  label: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .transform((title) => title.toLowerCase())
    .optional()
    .describe('only conversations with this label (a title)'),
});

export const contactConversationsQuery = listConversationsQuery.pick({ page: true, per_page: true }).extend({
  same_email: z
    .stringbool()
    .optional()
    .describe("also the conversations of other contacts with this contact's e-mail, verified or not (each marked by its contact)"),
});

export const createConversationBody = z.object({
  domain_id: z.number().int().positive(),
  contact: z.union([z.object({ id: z.number().int().positive() }), contactInput]),
  message: messageContent.optional(),
});

export const agentMessageBody = z.object({
  content: messageContent,
  private: z.boolean().default(false).describe('a private note: seen by agents only, never by the visitor'),
  kb_item_id: idSchema
    .optional()
    .describe(
      'the knowledge base item this reply answers with: the contact messages since the last reply become its alternate questions (`source: "agent"`)',
    ),
});

/** A reply or note with files (multipart): `content` may then be empty. */
export const agentMessageForm = agentMessageBody.extend({ content: z.string().trim().default('') });

export const assignBody = z.object({ agent_id: z.number().int().positive().nullable() });

export const statusBody = z.object({
  status: statusSchema,
  bot: z.boolean().optional().describe('true hands the conversation back to the AI agent; false takes it over'),
});

export const messagesQuery = paginationQuery.extend({
  after: z.coerce.number().int().min(0).optional().describe('only messages with a greater id (polling)'),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('only messages with a smaller id, the newest of them on page 1 (scrolling back); still oldest first within a page'),
  per_page: z.coerce.number().int().min(1).max(100).default(100),
});

export const messageList = listResponse(messageSchema);
export const conversationList = listResponse(conversationSummarySchema);
export const createdConversationSchema = conversationSchema.extend({
  messages: z.array(messageSchema).describe('the first message, when one was sent'),
  conversation_token: z.string().describe('grants access to this one conversation; shown only now'),
});
