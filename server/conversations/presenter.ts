import type { z } from 'zod';
import { presentAttachment } from '../attachments/presenter.js';
import type { ConversationRow, MessageRow } from './repo.js';
import type { conversationSchema, conversationSummarySchema, messageSchema, visitorConversationSchema } from './schemas.js';

export type PresentedMessage = z.infer<typeof messageSchema>;
export type PresentedConversation = z.infer<typeof conversationSchema>;

/** The contract's message shape, exactly, as agents read it (the widget's view: `widgetView` in attachments/presenter.ts). */
export const presentMessage = (m: MessageRow): PresentedMessage => ({
  id: m.id,
  conversation_id: m.conversation_id,
  content: m.content,
  message_type: m.message_type,
  content_type: m.content_type,
  content_attributes: m.content_attributes,
  private: m.private,
  sender: { type: m.sender_type, id: m.sender_id, name: m.sender_name },
  attachments: m.attachments.map((a) => presentAttachment(a)),
  created_at: m.created_at,
});

export const presentConversation = (c: ConversationRow): PresentedConversation => ({
  id: c.id,
  account_id: c.account_id,
  domain_id: c.domain_id,
  inbox_id: c.inbox_id,
  status: c.status,
  bot_active: c.bot_active,
  assignee: c.assignee_agent_id === null ? null : { id: c.assignee_agent_id, name: c.assignee_name },
  contact: { id: c.contact_id, name: c.contact_name, email: c.contact_email, verified: c.contact_verified },
  labels: c.labels,
  created_at: c.created_at,
  updated_at: c.updated_at,
  last_message_at: c.last_message_at,
  first_reply_at: c.first_reply_at,
  resolved_at: c.resolved_at,
});

/** The conversation as its visitor's widget sees it: without the labels the team filed it under. */
export const presentConversationToVisitor = (c: ConversationRow): z.infer<typeof visitorConversationSchema> => {
  const { labels: _labels, ...visible } = presentConversation(c);
  return visible;
};

/** How a contact appears as a message sender. */
export const contactSenderName = (contact: { name: string | null; email: string | null }) => contact.name || contact.email || 'Visitor';

/** A list entry for the console: the conversation, its newest message and how many contact messages await a reply. */
export const presentConversationSummary = (
  c: ConversationRow,
  lastMessage: MessageRow | undefined,
  unanswered: number,
): z.infer<typeof conversationSummarySchema> => ({
  ...presentConversation(c),
  last_message: lastMessage ? presentMessage(lastMessage) : null,
  unanswered_count: unanswered,
});
